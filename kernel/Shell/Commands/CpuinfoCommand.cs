// cpuinfo: the CPU's vendor, name, family/model/stepping and the CPUID features the kernel
// cares about, with whether the kernel switched them on (NX, SMEP, SMAP, global pages).
using Kernel.Arch.X64;
using Kernel.Diagnostics;

namespace Kernel.Shell.Commands;

public static unsafe class CpuinfoCommand
{
    public const string Name = "cpuinfo", Summary = "CPU identification and features (CPUID)", Usage = "cpuinfo";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 0, 0, ref output, Name, out CommandStatus status)) return status;
        Cpu.CpuidResult leaf0 = Cpu.Cpuid(0);
        output.Append("vendor:    ");
        AppendRegister(ref output, leaf0.Ebx);
        AppendRegister(ref output, leaf0.Edx);
        AppendRegister(ref output, leaf0.Ecx);
        output.Append('\n');
        uint maxExtended = Cpu.Cpuid(0x80000000).Eax;
        if (maxExtended >= 0x80000004)
        {
            output.Append("model:     ");
            for (uint leaf = 0x80000002; leaf <= 0x80000004; leaf++)
            {
                Cpu.CpuidResult r = Cpu.Cpuid(leaf);
                AppendRegister(ref output, r.Eax); AppendRegister(ref output, r.Ebx);
                AppendRegister(ref output, r.Ecx); AppendRegister(ref output, r.Edx);
            }
            output.Append('\n');
        }
        Cpu.CpuidResult leaf1 = Cpu.Cpuid(1);
        uint family = leaf1.Eax >> 8 & 0xf, model = leaf1.Eax >> 4 & 0xf;
        if (family == 0xf) family += leaf1.Eax >> 20 & 0xff;
        if (family >= 6) model |= (leaf1.Eax >> 16 & 0xf) << 4;
        output.Append("family:    "); output.AppendDecimal(family);
        output.Append("  model: "); output.AppendDecimal(model);
        output.Append("  stepping: "); output.AppendDecimal(leaf1.Eax & 0xf);
        output.Append('\n');
        output.Append("tsc:       "); output.AppendDecimal(Clock.TscPerMicrosecond); output.Append(" MHz (calibrated against the PIT)\n");

        Cpu.CpuidResult leaf7 = CpuFeatures.MaxBasicLeaf >= 7 ? Cpu.Cpuid(7, 0) : default;
        Cpu.CpuidResult ext = maxExtended >= 0x80000001 ? Cpu.Cpuid(0x80000001) : default;
        ulong cr4 = Cpu.ReadCr4();
        bool nxOn = (Cpu.ReadMsr(0xc0000080) & (1UL << 11)) != 0;
        output.Append("features:\n");
        Feature(ref output, "nx", CpuFeatures.NoExecute, nxOn, "no-execute pages (EFER.NXE)");
        Feature(ref output, "smep", CpuFeatures.Smep, (cr4 & (1UL << 20)) != 0, "supervisor mode execution prevention (CR4.SMEP)");
        Feature(ref output, "smap", CpuFeatures.Smap, (cr4 & (1UL << 21)) != 0, "supervisor mode access prevention (CR4.SMAP)");
        Feature(ref output, "pge", CpuFeatures.GlobalPages, (cr4 & (1UL << 7)) != 0, "global pages (CR4.PGE)");
        Feature(ref output, "pdpe1gb", CpuFeatures.HugePages1G, CpuFeatures.HugePages1G, "1 GiB pages");
        Feature(ref output, "apic", CpuFeatures.Apic, InterruptControllers.UsingApic, "local APIC");
        Feature(ref output, "x2apic", CpuFeatures.X2Apic, false, "x2APIC (the kernel uses xAPIC)");
        Feature(ref output, "sse2", (leaf1.Edx & (1u << 26)) != 0, true, "SSE2");
        Feature(ref output, "sse4_2", (leaf1.Ecx & (1u << 20)) != 0, (leaf1.Ecx & (1u << 20)) != 0, "SSE4.2");
        Feature(ref output, "avx", (leaf1.Ecx & (1u << 28)) != 0, false, "AVX (not enabled: no XSAVE support)");
        Feature(ref output, "pcid", (leaf1.Ecx & (1u << 17)) != 0, false, "process-context identifiers");
        Feature(ref output, "rdrand", (leaf1.Ecx & (1u << 30)) != 0, false, "hardware random numbers");
        Feature(ref output, "syscall", (ext.Edx & (1u << 11)) != 0, false, "SYSCALL/SYSRET");
        Feature(ref output, "fsgsbase", (leaf7.Ebx & 1) != 0, false, "RD/WR FS/GS base");
        Feature(ref output, "invtsc", CpuFeatures.InvariantTsc, CpuFeatures.InvariantTsc, "invariant TSC");
        return CommandStatus.Ok;
    }

    static void AppendRegister(ref TextBuilder output, uint value)
    {
        for (int i = 0; i < 4; i++)
        {
            byte b = (byte)(value >> (8 * i));
            if (b >= 32 && b < 127) output.AppendByte(b);
        }
    }

    static void Feature(ref TextBuilder output, string name, bool present, bool enabled, string what)
    {
        output.Append("  ");
        output.AppendPadded(name, 10, true);
        output.AppendPadded(!present ? "no" : enabled ? "yes, on" : "yes", 9, true);
        output.Append(what);
        output.Append('\n');
    }
}
