// Platform-neutral shared source (kernel and host tests).
// The initial user stack, laid out as Linux's exec does (fs/exec.c, create_elf_tables):
//   top:   8 zero bytes, the program's path (AT_EXECFN), the environment strings, the
//          argument strings (each block in order, first string lowest);
//   below, 16-byte aligned: the platform string "x86_64", the 16 AT_RANDOM bytes;
//   then, with the final stack pointer 16-byte aligned: argc, argv[] and NULL, envp[] and
//   NULL, the auxiliary vector (type, value pairs ending with AT_NULL).
// The image is built in a kernel buffer standing for [top - capacity, top); the caller copies
// the used part into the user stack pages.
namespace Kernel.Tasks.Elf;

public unsafe struct AuxValues
{
    public ulong Hwcap, ProgramHeaders, ProgramHeaderSize, ProgramHeaderCount, Entry, ClockTicks;
    public ulong Uid, Euid, Gid, Egid, Secure;
}

public unsafe struct StringList
{
    public const int MaxStrings = 32;
    fixed ulong _pointers[MaxStrings];
    fixed int _lengths[MaxStrings];
    public int Count;

    public bool Add(byte* text, int length)
    {
        if (Count == MaxStrings || length < 0) return false;
        _pointers[Count] = (ulong)text;
        _lengths[Count] = length;
        Count++;
        return true;
    }

    public byte* Text(int i) => (byte*)_pointers[i];
    public int Length(int i) => _lengths[i];
}

public static unsafe class InitialStack
{
    public const ulong AtNull = 0, AtPhdr = 3, AtPhent = 4, AtPhnum = 5, AtPagesz = 6, AtBase = 7, AtFlags = 8,
        AtEntry = 9, AtUid = 11, AtEuid = 12, AtGid = 13, AtEgid = 14, AtPlatform = 15, AtHwcap = 16,
        AtClktck = 17, AtSecure = 23, AtRandom = 25, AtExecfn = 31;
    public const int AuxPairs = 18; // with AT_NULL

    /// <summary>
    /// Builds the image; returns the initial stack pointer (where argc lies), or 0 when it does
    /// not fit in <paramref name="capacity"/> bytes. <paramref name="used"/> = top - sp.
    /// </summary>
    public static ulong Build(byte* buffer, ulong capacity, ulong top, StringList* argv, StringList* envp,
                              byte* execfn, int execfnLength, AuxValues* aux, byte* random16, out ulong used)
    {
        used = 0;
        // Strings and the fixed tail, from the top down.
        ulong needed = 8 + (ulong)execfnLength + 1;
        for (int i = 0; i < argv->Count; i++) needed += (ulong)argv->Length(i) + 1;
        for (int i = 0; i < envp->Count; i++) needed += (ulong)envp->Length(i) + 1;
        ulong vectorWords = (ulong)(1 + argv->Count + 1 + envp->Count + 1 + 2 * AuxPairs);
        if (needed + 16 + 7 + 16 + 16 + vectorWords * 8 > capacity) return 0;

        ulong p = top - 8;
        Zero(buffer, capacity, top, p, 8);
        p -= (ulong)execfnLength + 1;
        ulong execfnAddress = p;
        PutString(buffer, capacity, top, p, execfn, execfnLength);
        ulong stringsEnd = p;
        // Argument strings lowest, then the environment: compute starts from the bottom.
        ulong total = 0;
        for (int i = 0; i < argv->Count; i++) total += (ulong)argv->Length(i) + 1;
        for (int i = 0; i < envp->Count; i++) total += (ulong)envp->Length(i) + 1;
        ulong stringsStart = stringsEnd - total;
        ulong* argvAddress = stackalloc ulong[StringList.MaxStrings];
        ulong* envpAddress = stackalloc ulong[StringList.MaxStrings];
        ulong cursor = stringsStart;
        for (int i = 0; i < argv->Count; i++) { argvAddress[i] = cursor; PutString(buffer, capacity, top, cursor, argv->Text(i), argv->Length(i)); cursor += (ulong)argv->Length(i) + 1; }
        for (int i = 0; i < envp->Count; i++) { envpAddress[i] = cursor; PutString(buffer, capacity, top, cursor, envp->Text(i), envp->Length(i)); cursor += (ulong)envp->Length(i) + 1; }

        p = stringsStart & ~15UL;
        const string Platform = "x86_64";
        p -= (ulong)Platform.Length + 1;
        ulong platformAddress = p;
        for (int i = 0; i < Platform.Length; i++) buffer[Index(capacity, top, p + (ulong)i)] = (byte)Platform[i];
        buffer[Index(capacity, top, p + (ulong)Platform.Length)] = 0;
        p -= 16;
        ulong randomAddress = p;
        Put(buffer, capacity, top, p, random16, 16);

        ulong sp = (p - vectorWords * 8) & ~15UL;
        ulong w = sp;
        Word(buffer, capacity, top, ref w, (ulong)argv->Count);
        for (int i = 0; i < argv->Count; i++) Word(buffer, capacity, top, ref w, argvAddress[i]);
        Word(buffer, capacity, top, ref w, 0);
        for (int i = 0; i < envp->Count; i++) Word(buffer, capacity, top, ref w, envpAddress[i]);
        Word(buffer, capacity, top, ref w, 0);
        Aux(buffer, capacity, top, ref w, AtHwcap, aux->Hwcap);
        Aux(buffer, capacity, top, ref w, AtPagesz, 4096);
        Aux(buffer, capacity, top, ref w, AtClktck, aux->ClockTicks);
        Aux(buffer, capacity, top, ref w, AtPhdr, aux->ProgramHeaders);
        Aux(buffer, capacity, top, ref w, AtPhent, aux->ProgramHeaderSize);
        Aux(buffer, capacity, top, ref w, AtPhnum, aux->ProgramHeaderCount);
        Aux(buffer, capacity, top, ref w, AtBase, 0);
        Aux(buffer, capacity, top, ref w, AtFlags, 0);
        Aux(buffer, capacity, top, ref w, AtEntry, aux->Entry);
        Aux(buffer, capacity, top, ref w, AtUid, aux->Uid);
        Aux(buffer, capacity, top, ref w, AtEuid, aux->Euid);
        Aux(buffer, capacity, top, ref w, AtGid, aux->Gid);
        Aux(buffer, capacity, top, ref w, AtEgid, aux->Egid);
        Aux(buffer, capacity, top, ref w, AtSecure, aux->Secure);
        Aux(buffer, capacity, top, ref w, AtRandom, randomAddress);
        Aux(buffer, capacity, top, ref w, AtExecfn, execfnAddress);
        Aux(buffer, capacity, top, ref w, AtPlatform, platformAddress);
        Aux(buffer, capacity, top, ref w, AtNull, 0);
        // Gap between the vectors and the random bytes (alignment) is zero.
        Zero(buffer, capacity, top, w, randomAddress - w);
        used = top - sp;
        return sp;
    }

    static ulong Index(ulong capacity, ulong top, ulong address) => capacity - (top - address);

    static void Put(byte* buffer, ulong capacity, ulong top, ulong address, byte* source, int length)
    {
        byte* d = buffer + Index(capacity, top, address);
        for (int i = 0; i < length; i++) d[i] = source[i];
    }

    static void Zero(byte* buffer, ulong capacity, ulong top, ulong address, ulong length)
    {
        byte* d = buffer + Index(capacity, top, address);
        for (ulong i = 0; i < length; i++) d[i] = 0;
    }

    static void PutString(byte* buffer, ulong capacity, ulong top, ulong address, byte* text, int length)
    {
        Put(buffer, capacity, top, address, text, length);
        buffer[Index(capacity, top, address + (ulong)length)] = 0;
    }

    static void Word(byte* buffer, ulong capacity, ulong top, ref ulong address, ulong value)
    {
        *(ulong*)(buffer + Index(capacity, top, address)) = value;
        address += 8;
    }

    static void Aux(byte* buffer, ulong capacity, ulong top, ref ulong address, ulong type, ulong value)
    {
        Word(buffer, capacity, top, ref address, type);
        Word(buffer, capacity, top, ref address, value);
    }
}
