// The boot steps that read what GRUB handed over: the Multiboot2 block, the command line, the
// kernel's own symbol table. Each step reports a problem and goes on: a bad boot block or an
// unknown option is never fatal (serial output alone is enough to run).
using Kernel.Arch.X64;
using Kernel.Diagnostics;

using Kernel.Boot.Multiboot2;

namespace Kernel.Boot;

public static unsafe class BootSequence
{
    const uint ElfSymbolTable = 2;

    public static void ReadBootData(uint magic, uint infoPhysical)
    {
        BootInfo* info = BootData.Info;
        byte* block = (byte*)BootData.EarlyPhysicalToVirtual(infoPhysical);
        ulong available = infoPhysical == 0 ? 0 : BootData.EarlyMappedLimit - infoPhysical;
        if (available > 1UL << 20) available = 1UL << 20;
        Multiboot2Error error = Multiboot2Parser.Parse(magic, infoPhysical == 0 ? null : block, available, info, out string message);
        if (error != Multiboot2Error.None)
            Log.Error($"multiboot2: boot information rejected: {message} (tag offset {info->ErrorOffset}); continuing with what was read");

        info->GetCommandLine(out byte* text, out int length);
        CommandLine.Parse(text, length, BootData.CommandLine);
        ApplyLogOptions(BootData.CommandLine);
        ReportUnknownOptions(BootData.CommandLine);
    }

    static void ApplyLogOptions(CommandLine* cmdline)
    {
        if (cmdline->Has("quiet")) Log.ConsoleLevel = LogLevel.Warning;
        if (cmdline->Has("debug")) Log.ConsoleLevel = LogLevel.Debug;
        if (cmdline->TryGetUInt64("loglevel", out ulong level) && level <= 7) Log.ConsoleLevel = (LogLevel)level;
    }

    static void ReportUnknownOptions(CommandLine* cmdline)
    {
        for (int i = 0; i < cmdline->Count; i++)
        {
            // Everything after init=PATH is that program's argument list (as in Linux).
            if (cmdline->GetKey(i, out byte* name, out int nameLength) && CommandLine.BytesEqual(name, nameLength, "init")) break;
            if (cmdline->IsKnownKey(i)) continue;
            cmdline->GetKey(i, out byte* key, out int keyLength);
            var line = new LogLine(0, 0);
            line.AppendLiteral("cmdline: unknown option '");
            for (int k = 0; k < keyLength; k++) line.AppendFormatted((char)key[k]);
            line.AppendLiteral("' ignored");
            Log.Warning(ref line);
        }
    }

    public static void PrintBanner()
    {
        BootInfo* info = BootData.Info;
        Log.Info("C# kernel for x86-64 (NativeAOT), booted by Multiboot2");
        info->GetBootloaderName(out byte* loader, out int loaderLength);
        info->GetCommandLine(out byte* cmd, out int cmdLength);
        var line = new LogLine(0, 0);
        line.AppendLiteral("boot: loader '");
        for (int i = 0; i < loaderLength; i++) line.AppendFormatted((char)loader[i]);
        line.AppendLiteral("', command line '");
        for (int i = 0; i < cmdLength && i < 120; i++) line.AppendFormatted((char)cmd[i]);
        line.AppendLiteral("'");
        Log.Info(ref line);

        ulong usable = 0;
        for (int i = 0; i < info->MemoryRegionCount; i++)
        {
            info->GetMemoryRegion(i, out MemoryRegion r);
            Log.Debug($"boot: memory [{r.Base:x16}-{r.Base + r.Length - 1:x16}] type {r.Type}");
            if (r.Type == 1) usable += r.Length;
        }
        Log.Info($"boot: {info->MemoryRegionCount} memory map entries, {usable / 1024} KiB usable; {info->ModuleCount} modules; ACPI RSDP {(info->HasRsdp ? "yes" : "no")}");
        if (info->HasFramebuffer)
            Log.Info($"boot: framebuffer {info->FramebufferWidth}x{info->FramebufferHeight}x{info->FramebufferBpp} type {info->FramebufferType} at {info->FramebufferAddress:x}");
        else
            Log.Info("boot: no framebuffer; serial console only");
    }

    /// <summary>Finds the symbol and string tables GRUB loaded for backtraces.</summary>
    public static void LoadSymbols(bool quiet = false)
    {
        BootInfo* info = BootData.Info;
        for (int i = 0; i < info->ElfSectionCount; i++)
        {
            if (!info->GetElfSection(i, out ElfSectionHeader symtab) || symtab.Type != ElfSymbolTable) continue;
            if (!info->GetElfSection((int)symtab.Link, out ElfSectionHeader strtab)) break;
            if (symtab.Address == 0 || strtab.Address == 0) break;
            Symbols.Initialize(BootData.EarlyPhysicalToVirtual(symtab.Address), symtab.Size,
                               BootData.EarlyPhysicalToVirtual(strtab.Address), strtab.Size);
            if (!quiet) Log.Info($"boot: {Symbols.Count} kernel symbols for backtraces");
            return;
        }
        Log.Warning("boot: no ELF symbol table from the boot loader; backtraces show addresses only");
    }
}
