// The two 8259 programmable interrupt controllers. At power-on they deliver IRQs 0-15 on
// vectors 8-15 and 0x70-0x77, which collide with CPU exceptions; we move them to 0x20-0x2f and
// mask every line until a driver asks for one. IRQ 7 and IRQ 15 can be spurious (the line
// dropped before the CPU acknowledged it): the in-service register tells, and a spurious IRQ
// gets no EOI on its own chip (IRQ 15 still needs one on the master, which did see IRQ 2).
namespace Kernel.Arch.X64;

public static class Pic
{
    public const int VectorBase = 0x20;
    const ushort MasterCommand = 0x20, MasterData = 0x21, SlaveCommand = 0xa0, SlaveData = 0xa1;
    const byte EndOfInterrupt = 0x20, ReadInServiceRegister = 0x0b;

    static ushort s_mask = 0xffff;
    static ulong s_spurious;

    public static ulong SpuriousCount => s_spurious;
    public static ushort Mask => s_mask;

    public static void Initialize()
    {
        // ICW1: initialise, ICW4 follows. ICW2: vector base. ICW3: wiring (slave on IRQ 2).
        // ICW4: 8086 mode.
        Cpu.OutByte(MasterCommand, 0x11); Cpu.IoWait();
        Cpu.OutByte(SlaveCommand, 0x11); Cpu.IoWait();
        Cpu.OutByte(MasterData, VectorBase); Cpu.IoWait();
        Cpu.OutByte(SlaveData, VectorBase + 8); Cpu.IoWait();
        Cpu.OutByte(MasterData, 0x04); Cpu.IoWait();
        Cpu.OutByte(SlaveData, 0x02); Cpu.IoWait();
        Cpu.OutByte(MasterData, 0x01); Cpu.IoWait();
        Cpu.OutByte(SlaveData, 0x01); Cpu.IoWait();
        s_mask = 0xffff;
        WriteMask();
    }

    public static void Unmask(int irq)
    {
        s_mask &= (ushort)~(1 << irq);
        if (irq >= 8) s_mask &= unchecked((ushort)~(1 << 2)); // the cascade line
        WriteMask();
    }

    public static void MaskLine(int irq)
    {
        s_mask |= (ushort)(1 << irq);
        WriteMask();
    }

    static void WriteMask()
    {
        Cpu.OutByte(MasterData, (byte)s_mask);
        Cpu.OutByte(SlaveData, (byte)(s_mask >> 8));
    }

    static byte InService(ushort command)
    {
        Cpu.OutByte(command, ReadInServiceRegister);
        return Cpu.InByte(command);
    }

    /// <summary>True (and handled) when irq is a spurious IRQ 7 or 15.</summary>
    public static bool IsSpurious(int irq)
    {
        if (irq == 7 && (InService(MasterCommand) & 0x80) == 0)
        {
            s_spurious++;
            return true;
        }
        if (irq == 15 && (InService(SlaveCommand) & 0x80) == 0)
        {
            s_spurious++;
            Cpu.OutByte(MasterCommand, EndOfInterrupt);
            return true;
        }
        return false;
    }

    public static void SendEndOfInterrupt(int irq)
    {
        if (irq >= 8) Cpu.OutByte(SlaveCommand, EndOfInterrupt);
        Cpu.OutByte(MasterCommand, EndOfInterrupt);
    }
}
