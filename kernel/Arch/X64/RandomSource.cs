// Random bytes for AT_RANDOM and getrandom: RDRAND when the CPU has it, mixed into a
// xorshift generator seeded from the TSC (so a CPU without RDRAND still gets varying bytes;
// those are not cryptographically strong, which is said at boot).
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Kernel.Arch.X64;

public static unsafe class RandomSource
{
    static ulong s_state;
    static bool s_hasRdrand, s_initialized;

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_rdrand")]
    static extern int Rdrand(ulong* value);

    public static bool HasHardwareSource => s_hasRdrand;

    static void Initialize()
    {
        s_hasRdrand = (Cpu.Cpuid(1).Ecx & (1u << 30)) != 0;
        s_state = Cpu.ReadTsc() ^ 0x9e3779b97f4a7c15UL;
        if (s_state == 0) s_state = 1;
        s_initialized = true;
    }

    public static ulong NextWord()
    {
        if (!s_initialized) Initialize();
        ulong x = s_state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s_state = x;
        ulong hardware;
        if (s_hasRdrand && Rdrand(&hardware) != 0) x ^= hardware;
        else x ^= Cpu.ReadTsc() * 0xff51afd7ed558ccdUL;
        return x;
    }

    public static void Fill(byte* buffer, ulong length)
    {
        for (ulong i = 0; i < length; i += 8)
        {
            ulong word = NextWord();
            for (ulong k = 0; k < 8 && i + k < length; k++) buffer[i + k] = (byte)(word >> (int)(8 * k));
        }
    }
}
