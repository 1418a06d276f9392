// Turning code addresses into C# method names. GRUB loads the kernel's ELF symbol and string
// tables and describes them in the Multiboot2 ELF-sections tag; the kernel keeps pointers to
// them (their memory is reserved) and searches them when it prints a backtrace. ILC names a
// method "kernel_Namespace_Class__Method"; Demangle prints it as "Namespace.Class.Method".
namespace Kernel.Diagnostics;

public static unsafe class Symbols
{
    struct Elf64Symbol
    {
        public uint Name;
        public byte Info, Other;
        public ushort SectionIndex;
        public ulong Value, Size;
    }

    const byte TypeFunction = 2;

    static Elf64Symbol* s_symbols;
    static ulong s_count;
    static byte* s_strings;
    static ulong s_stringsSize;

    public static bool Available => s_symbols != null;
    public static ulong Count => s_count;

    public static void Initialize(void* symbolTable, ulong symbolTableSize, void* stringTable, ulong stringTableSize)
    {
        s_symbols = (Elf64Symbol*)symbolTable;
        s_count = symbolTableSize / (ulong)sizeof(Elf64Symbol);
        s_strings = (byte*)stringTable;
        s_stringsSize = stringTableSize;
    }

    /// <summary>The function containing address (or the nearest symbol below it).</summary>
    public static bool Lookup(ulong address, out byte* name, out int nameLength, out ulong offset)
    {
        name = null; nameLength = 0; offset = 0;
        if (s_symbols == null) return false;
        Elf64Symbol* best = null;
        for (ulong i = 0; i < s_count; i++)
        {
            Elf64Symbol* s = &s_symbols[i];
            if (s->Value > address || s->Value == 0 || s->Name >= s_stringsSize) continue;
            bool isFunction = (s->Info & 0xf) == TypeFunction;
            if (isFunction && s->Size != 0 && address < s->Value + s->Size) { best = s; break; }
            if ((s->Info & 0xf) > TypeFunction) continue; // sections, files, TLS
            if (best == null || s->Value > best->Value) best = s;
        }
        if (best == null) return false;
        name = s_strings + best->Name;
        while (nameLength < 200 && best->Name + (ulong)nameLength < s_stringsSize && name[nameLength] != 0) nameLength++;
        offset = address - best->Value;
        return true;
    }

    /// <summary>Appends "Namespace.Class.Method+0x1c" (or the raw symbol for assembly code).</summary>
    public static void AppendSymbol(ref TextBuilder text, ulong address)
    {
        if (!Lookup(address, out byte* name, out int length, out ulong offset))
        {
            text.Append('?');
            return;
        }
        AppendDemangled(ref text, name, length);
        text.Append("+0x");
        text.AppendHex(offset, 1);
    }

    public static void AppendDemangled(ref TextBuilder text, byte* name, int length)
    {
        int start = 0;
        const string Prefix = "kernel_";
        if (length > Prefix.Length && Boot.CommandLine.BytesEqual(name, Prefix.Length, Prefix)) start = Prefix.Length;
        for (int i = start; i < length; i++)
        {
            if (name[i] == (byte)'_' && i + 1 < length && name[i + 1] == (byte)'_') { text.Append('.'); i++; }
            else if (name[i] == (byte)'_' && start != 0) text.Append('.');
            else text.AppendByte(name[i]);
        }
    }
}
