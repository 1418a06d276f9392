// I/O APICs: each turns its input pins (global system interrupts GsiBase..GsiBase+n-1) into
// messages to a local APIC. Registers are reached through an index (IOREGSEL, +0x00) and a
// window (IOWIN, +0x10); redirection entry i is the register pair 0x10+2i (low: vector,
// delivery, polarity, trigger, mask) and 0x11+2i (high: destination APIC id in bits 24-31).
// Every pin starts masked; InterruptControllers unmasks the ones a driver asks for.
using Kernel.Acpi;

namespace Kernel.Arch.X64;

public static unsafe class IoApic
{
    public const int MaxIoApics = MadtInfo.MaxIoApics;
    const int RegisterId = 0, RegisterVersion = 1, RedirectionBase = 0x10;
    const uint Masked = 1u << 16, ActiveLow = 1u << 13, LevelTriggered = 1u << 15;

    struct Chips
    {
        public fixed ulong Base[MaxIoApics];
        public fixed uint GsiBase[MaxIoApics];
        public fixed int Pins[MaxIoApics];
        public fixed byte Id[MaxIoApics];
    }
    static Chips s_chips;
    static int s_count;

    public static int Count => s_count;

    public static int PinsOf(int chip) { fixed (int* p = s_chips.Pins) return p[chip]; }
    public static uint GsiBaseOf(int chip) { fixed (uint* g = s_chips.GsiBase) return g[chip]; }
    public static byte IdOf(int chip) { fixed (byte* i = s_chips.Id) return i[chip]; }

    static uint Read(byte* b, uint register)
    {
        *(uint*)b = register;
        return *(uint*)(b + 0x10);
    }

    static void Write(byte* b, uint register, uint value)
    {
        *(uint*)b = register;
        *(uint*)(b + 0x10) = value;
    }

    /// <summary>Maps every I/O APIC the MADT lists and masks all their pins; the number usable.</summary>
    public static int Initialize(MadtInfo* madt)
    {
        s_count = 0;
        for (int i = 0; i < madt->IoApicCount && s_count < MaxIoApics; i++)
        {
            if (!madt->GetIoApic(i, out MadtIoApic a)) continue;
            byte* b = (byte*)DeviceMemory.Map(a.Address, 4096, DeviceCaching.Uncached);
            if (b == null) continue;
            uint version = Read(b, RegisterVersion);
            int pins = (int)((version >> 16) & 0xff) + 1;
            if (version == 0xffffffff) continue; // nothing answers at that address
            fixed (Chips* c = &s_chips)
            {
                c->Base[s_count] = (ulong)b;
                c->GsiBase[s_count] = a.GsiBase;
                c->Pins[s_count] = pins;
                c->Id[s_count] = a.Id;
            }
            for (int pin = 0; pin < pins; pin++) Write(b, (uint)(RedirectionBase + 2 * pin), Masked);
            s_count++;
        }
        return s_count;
    }

    static byte* Find(uint gsi, out int pin)
    {
        pin = 0;
        fixed (Chips* c = &s_chips)
        {
            for (int i = 0; i < s_count; i++)
            {
                if (gsi >= c->GsiBase[i] && gsi < c->GsiBase[i] + (uint)c->Pins[i])
                {
                    pin = (int)(gsi - c->GsiBase[i]);
                    return (byte*)c->Base[i];
                }
            }
        }
        return null;
    }

    public static bool Serves(uint gsi) => Find(gsi, out int _) != null;

    /// <summary>Routes <paramref name="gsi"/> to <paramref name="vector"/> on the local APIC
    /// <paramref name="apicId"/> (fixed delivery, physical destination), unmasked.</summary>
    public static bool Route(uint gsi, byte vector, bool activeLow, bool level, uint apicId)
    {
        byte* b = Find(gsi, out int pin);
        if (b == null) return false;
        uint low = vector;
        if (activeLow) low |= ActiveLow;
        if (level) low |= LevelTriggered;
        Write(b, (uint)(RedirectionBase + 2 * pin), Masked);   // mask while the halves disagree
        Write(b, (uint)(RedirectionBase + 2 * pin + 1), apicId << 24);
        Write(b, (uint)(RedirectionBase + 2 * pin), low);
        return true;
    }

    public static bool Mask(uint gsi)
    {
        byte* b = Find(gsi, out int pin);
        if (b == null) return false;
        uint register = (uint)(RedirectionBase + 2 * pin);
        Write(b, register, Read(b, register) | Masked);
        return true;
    }

    /// <summary>The low half of the redirection entry for <paramref name="gsi"/> (tests, text).</summary>
    public static bool ReadEntry(uint gsi, out uint low, out uint high)
    {
        low = high = 0;
        byte* b = Find(gsi, out int pin);
        if (b == null) return false;
        low = Read(b, (uint)(RedirectionBase + 2 * pin));
        high = Read(b, (uint)(RedirectionBase + 2 * pin + 1));
        return true;
    }
}
