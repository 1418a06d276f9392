// Platform-neutral shared source (kernel and host tests).
// The cpio "newc" format (070701; 070702 also accepted, its checksum not verified), the only
// format the initrd uses: a 110-byte ASCII header of 13 eight-digit hex fields, the name
// (NUL-terminated, header + name padded to 4 bytes), the data (padded to 4 bytes), and the
// entry named "TRAILER!!!" at the end. Every field is checked against the archive's length
// before it is used: a truncated or hostile archive gives a status, never a read outside it.
namespace Kernel.Fs;

public enum CpioStatus
{
    Ok = 0,
    /// <summary>The trailer was reached: no more entries.</summary>
    End,
    /// <summary>The archive ends inside a header, a name or data (or without a trailer).</summary>
    Truncated,
    /// <summary>The magic is not 070701/070702: not a newc archive (or a compressed one).</summary>
    BadMagic,
    /// <summary>A header field holds something other than eight hex digits.</summary>
    BadNumber,
    /// <summary>The name size is 0, or the name is not NUL-terminated where its size says.</summary>
    BadName,
}

public unsafe struct CpioEntry
{
    public byte* Name;        // without the NUL
    public int NameLength;
    public byte* Data;
    public ulong Size;
    public uint Mode, Inode, Uid, Gid, Links, ModifiedTime;
}

public static unsafe class CpioArchive
{
    public const int HeaderSize = 110;
    public const uint TypeMask = 0xf000, TypeDirectory = 0x4000, TypeRegular = 0x8000, TypeSymlink = 0xa000;

    /// <summary>
    /// Reads the entry at <paramref name="offset"/> and moves the offset past it. End at the
    /// trailer; any other status means the archive is malformed from this entry on.
    /// </summary>
    public static CpioStatus Next(byte* archive, ulong length, ref ulong offset, out CpioEntry entry)
    {
        entry = default;
        if (offset > length || length - offset < HeaderSize) return CpioStatus.Truncated;
        byte* h = archive + offset;
        if (h[0] != '0' || h[1] != '7' || h[2] != '0' || h[3] != '7' || h[4] != '0' || (h[5] != '1' && h[5] != '2'))
            return CpioStatus.BadMagic;
        uint* fields = stackalloc uint[13];
        for (int i = 0; i < 13; i++)
            if (!ParseHex8(h + 6 + i * 8, out fields[i])) return CpioStatus.BadNumber;
        uint nameSize = fields[11];
        ulong fileSize = fields[6];
        if (nameSize == 0) return CpioStatus.BadName;
        ulong nameStart = offset + HeaderSize;
        if (length - nameStart < nameSize) return CpioStatus.Truncated;
        byte* name = archive + nameStart;
        if (name[nameSize - 1] != 0) return CpioStatus.BadName;
        for (uint i = 0; i + 1 < nameSize; i++) if (name[i] == 0) return CpioStatus.BadName;
        ulong dataStart = Align4(nameStart + nameSize);
        if (dataStart > length || length - dataStart < fileSize) return CpioStatus.Truncated;

        entry.Name = name;
        entry.NameLength = (int)nameSize - 1;
        entry.Data = archive + dataStart;
        entry.Size = fileSize;
        entry.Inode = fields[0];
        entry.Mode = fields[1];
        entry.Uid = fields[2];
        entry.Gid = fields[3];
        entry.Links = fields[4];
        entry.ModifiedTime = fields[5];
        offset = Align4(dataStart + fileSize);
        if (offset > length) offset = length; // the last entry's padding may be cut off
        return IsTrailer(name, entry.NameLength) ? CpioStatus.End : CpioStatus.Ok;
    }

    public static string Describe(CpioStatus status) => status switch
    {
        CpioStatus.Ok => "ok",
        CpioStatus.End => "end of archive",
        CpioStatus.Truncated => "archive truncated (inside an entry, or no TRAILER!!! entry)",
        CpioStatus.BadMagic => "not a cpio newc archive (magic is not 070701/070702; compressed?)",
        CpioStatus.BadNumber => "a header field is not eight hex digits",
        CpioStatus.BadName => "bad entry name (size 0, or not NUL-terminated where its size says)",
        _ => "unknown cpio status",
    };

    static ulong Align4(ulong value) => (value + 3) & ~3UL;

    static bool IsTrailer(byte* name, int length)
    {
        const string Trailer = "TRAILER!!!";
        if (length != Trailer.Length) return false;
        for (int i = 0; i < length; i++) if (name[i] != Trailer[i]) return false;
        return true;
    }

    static bool ParseHex8(byte* p, out uint value)
    {
        value = 0;
        for (int i = 0; i < 8; i++)
        {
            uint c = p[i], d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else return false;
            value = value << 4 | d;
        }
        return true;
    }
}
