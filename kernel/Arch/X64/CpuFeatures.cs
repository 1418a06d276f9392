// CPUID feature bits the kernel cares about, read once at boot (later shown by `cpuinfo`).
namespace Kernel.Arch.X64;

public static class CpuFeatures
{
    public static bool NoExecute { get; private set; }
    public static bool Smep { get; private set; }
    public static bool Smap { get; private set; }
    public static bool GlobalPages { get; private set; }
    public static bool HugePages1G { get; private set; }
    public static bool Apic { get; private set; }
    public static bool X2Apic { get; private set; }
    public static bool InvariantTsc { get; private set; }
    public static uint MaxBasicLeaf { get; private set; }

    public static void Detect()
    {
        Cpu.CpuidResult basic = Cpu.Cpuid(0);
        MaxBasicLeaf = basic.Eax;
        Cpu.CpuidResult leaf1 = Cpu.Cpuid(1);
        GlobalPages = (leaf1.Edx & (1u << 13)) != 0;
        Apic = (leaf1.Edx & (1u << 9)) != 0;
        X2Apic = (leaf1.Ecx & (1u << 21)) != 0;
        if (MaxBasicLeaf >= 7)
        {
            Cpu.CpuidResult leaf7 = Cpu.Cpuid(7, 0);
            Smep = (leaf7.Ebx & (1u << 7)) != 0;
            Smap = (leaf7.Ebx & (1u << 20)) != 0;
        }
        uint maxExtended = Cpu.Cpuid(0x80000000).Eax;
        if (maxExtended >= 0x80000001)
        {
            Cpu.CpuidResult ext = Cpu.Cpuid(0x80000001);
            NoExecute = (ext.Edx & (1u << 20)) != 0;
            HugePages1G = (ext.Edx & (1u << 26)) != 0;
        }
        if (maxExtended >= 0x80000007) InvariantTsc = (Cpu.Cpuid(0x80000007).Edx & (1u << 8)) != 0;
    }
}
