// Platform-neutral shared source (kernel and host tests).
// struct stat as x86-64 Linux lays it out (144 bytes, arch/x86/include/uapi/asm/stat.h) and
// struct linux_dirent64, filled from the initrd index or for the console.
namespace Kernel.Fs;

public static unsafe class StatBuffer
{
    public const int Size = 144;
    public const uint ModeCharacterDevice = 0x2000, ModeDirectory = 0x4000;
    const ulong InitrdDevice = 1, ConsoleDevice = 5 << 8 | 1; // makedev(5, 1), /dev/console

    public static void Clear(byte* s)
    {
        for (int i = 0; i < Size; i++) s[i] = 0;
    }

    static void Fill(byte* s, ulong device, ulong inode, ulong links, uint mode, ulong rdev, ulong size, ulong time)
    {
        Clear(s);
        *(ulong*)(s + 0) = device;
        *(ulong*)(s + 8) = inode;
        *(ulong*)(s + 16) = links;
        *(uint*)(s + 24) = mode;
        *(ulong*)(s + 40) = rdev;
        *(long*)(s + 48) = (long)size;
        *(long*)(s + 56) = 4096;
        *(long*)(s + 64) = (long)((size + 511) / 512);
        *(ulong*)(s + 72) = time;
        *(ulong*)(s + 88) = time;
        *(ulong*)(s + 104) = time;
    }

    public static void ForConsole(byte* s) => Fill(s, 6, 2, 1, ModeCharacterDevice | 0x190 /* 0620 */, ConsoleDevice, 0, 0);

    /// <summary>A /proc node on the proc device (0:22): a 0555 directory, or a read-only 0444
    /// regular file of size 0 (its text is made at each read).</summary>
    public static void ForProc(byte* s, ulong inode, bool directory) =>
        Fill(s, 22, inode, directory ? 2UL : 1UL, directory ? ModeDirectory | 0x16d /* 0555 */ : 0x8000 | 0x124 /* 0444 */, 0, 0, 0);

    public static void ForInitrd(byte* s, InitrdIndex* index, int entry)
    {
        if (entry == InitrdIndex.RootEntry)
        {
            Fill(s, InitrdDevice, 1, 2, ModeDirectory | 0x1ed /* 0755 */, 0, 0, 0);
            return;
        }
        InitrdIndex.Entry* e = index->Get(entry);
        Fill(s, InitrdDevice, InodeOf(index, entry), e->Links == 0 ? 1 : e->Links, e->Mode, 0, e->Size, e->ModifiedTime);
    }

    /// <summary>The archive's inode number, or one made from the index when the archive has none.</summary>
    public static ulong InodeOf(InitrdIndex* index, int entry) =>
        entry == InitrdIndex.RootEntry ? 1 : index->Get(entry)->Inode != 0 ? index->Get(entry)->Inode : (ulong)entry + 2;

    /// <summary>Writes one linux_dirent64 (d_ino, d_off, d_reclen, d_type, d_name + NUL, padded
    /// to 8); its length, or 0 when it does not fit in <paramref name="room"/>.</summary>
    public static int Dirent(byte* d, int room, ulong inode, long nextOffset, byte type, byte* name, int nameLength)
    {
        int length = (19 + nameLength + 1 + 7) & ~7;
        if (length > room) return 0;
        *(ulong*)d = inode;
        *(long*)(d + 8) = nextOffset;
        *(ushort*)(d + 16) = (ushort)length;
        d[18] = type;
        for (int i = 0; i < nameLength; i++) d[19 + i] = name[i];
        for (int i = 19 + nameLength; i < length; i++) d[i] = 0;
        return length;
    }
}
