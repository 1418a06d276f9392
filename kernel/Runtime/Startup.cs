// What the .NET runtime's startup would do, done by the kernel before any other C# runs:
// walk ILC's module headers (between the linker symbols kernel_modules_start/end) and
//  - section 201: give every class with reference-type statics its holder object (copying
//    compile-time values when ILC precomputed them), so a static read is not garbage;
//  - section 205: run the static constructors ILC marked as eager.
// Module initialisers (section 213) run last.
using System.Runtime;
using System.Runtime.CompilerServices;
using Internal.Runtime;
using Kernel.Diagnostics;

namespace Kernel.Runtime;

internal static unsafe class Startup
{
    const uint ReadyToRunSignature = 0x00525452; // "RTR"
    const int GCStaticRegion = 201, EagerClassConstructors = 205, ModuleInitializers = 213;
    const nint Uninitialized = 1, HasPreinitializedData = 2, FlagMask = 3;

    struct ReadyToRunHeader
    {
        public uint Signature;
        public ushort MajorVersion, MinorVersion;
        public uint Flags;
        public ushort NumberOfSections;
        public byte EntrySize, EntryType;
    }

    struct ModuleInfoRow
    {
        public int SectionId, Flags;
        public byte* Start, End;
    }

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "kernel_modules_bounds")]
    static extern void ModulesBounds(void*** start, void*** end);

    public static void InitializeModules()
    {
        void** start, end;
        ModulesBounds(&start, &end);
        for (int pass = 0; pass < 3; pass++)
        {
            int wanted = pass == 0 ? GCStaticRegion : pass == 1 ? EagerClassConstructors : ModuleInitializers;
            for (void** module = start; module < end; module++)
            {
                var header = (ReadyToRunHeader*)*module;
                if (header == null) continue;
                if (header->Signature != ReadyToRunSignature) Panic.Halt("bad ILC module header signature");
                var rows = (ModuleInfoRow*)(header + 1);
                for (int i = 0; i < header->NumberOfSections; i++)
                {
                    if (rows[i].SectionId != wanted) continue;
                    if (wanted == GCStaticRegion) InitializeStatics(rows[i].Start, rows[i].End);
                    else RunFunctions(rows[i].Start, rows[i].End);
                }
            }
        }
    }

    static byte* ReadRelative(void* address) => (byte*)address + *(int*)address;

    static void InitializeStatics(byte* start, byte* end)
    {
        for (byte* entry = start; entry < end; entry += sizeof(int))
        {
            nint* block = (nint*)ReadRelative(entry);
            nint value = (nint)ReadRelative(block);
            if ((value & Uninitialized) == 0) continue;

            var type = (MethodTable*)(value & ~FlagMask);
            void* holder = ObjectHeap.Allocate(type->BaseSize);
            if (holder == null) Panic.Halt("out of memory for static fields");
            *(MethodTable**)holder = type;
            if ((value & HasPreinitializedData) != 0)
            {
                byte* data = ReadRelative((int*)block + 1);
                Bytes.Copy((byte*)holder + sizeof(void*), data, type->BaseSize - 2 * (ulong)sizeof(void*));
            }
            *block = (nint)holder;
        }
    }

    static void RunFunctions(byte* start, byte* end)
    {
        for (byte* entry = start; entry < end; entry += sizeof(int))
            ((delegate*<void>)ReadRelative(entry))();
    }
}
