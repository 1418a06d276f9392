// The interrupt descriptor table: all 256 vectors point at the stubs in boot/interrupts.asm,
// as interrupt gates (interrupts stay off in handlers). #DF, NMI and #MC switch to their own
// IST stacks. Only the breakpoint vector (3) may be raised from ring 3 (int3).
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kernel.Arch.X64;

public static unsafe class Idt
{
    public const int VectorCount = 256;

    [StructLayout(LayoutKind.Sequential)]
    public struct Gate
    {
        public ushort OffsetLow, Selector;
        public byte Ist, TypeAttributes;
        public ushort OffsetMiddle;
        public uint OffsetHigh, Reserved;

        public ulong Offset => OffsetLow | (ulong)OffsetMiddle << 16 | (ulong)OffsetHigh << 32;
    }

    [StructLayout(LayoutKind.Sequential, Pack = 2)]
    struct Pointer { public ushort Limit; public ulong Base; }

    struct Table { public fixed byte Bytes[VectorCount * 16]; }
    static Table s_table;

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "isr_stub_address")]
    static extern ulong StubAddress(int vector);

    public static Gate* Gates { get { fixed (byte* b = s_table.Bytes) return (Gate*)b; } }

    public static void Initialize()
    {
        Gate* gates = Gates;
        for (int v = 0; v < VectorCount; v++)
        {
            ulong handler = StubAddress(v);
            byte ist = v == Exceptions.DoubleFault ? (byte)Gdt.IstDoubleFault
                     : v == Exceptions.NonMaskableInterrupt ? (byte)Gdt.IstNmi
                     : v == Exceptions.MachineCheck ? (byte)Gdt.IstMachineCheck : (byte)0;
            byte dpl = v == Exceptions.Breakpoint ? (byte)3 : (byte)0;
            gates[v].OffsetLow = (ushort)handler;
            gates[v].Selector = Gdt.KernelCode;
            gates[v].Ist = ist;
            gates[v].TypeAttributes = (byte)(0x80 | dpl << 5 | 0x0e); // present, DPL, 64-bit interrupt gate
            gates[v].OffsetMiddle = (ushort)(handler >> 16);
            gates[v].OffsetHigh = (uint)(handler >> 32);
            gates[v].Reserved = 0;
        }
        Pointer p;
        p.Limit = VectorCount * 16 - 1;
        p.Base = (ulong)gates;
        Cpu.LoadIdt(&p);
    }

    public static ulong ExpectedHandler(int vector) => StubAddress(vector);
}
