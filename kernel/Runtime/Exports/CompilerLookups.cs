// Types and methods ILC resolves by name in the core library even when the kernel does not use
// the feature. Each body is either the real (small) behaviour or a panic naming the feature.
using System.Runtime;
using Kernel.Diagnostics;

namespace System
{
    public static unsafe class Buffer
    {
        // No GC, so no write barrier: a bulk copy of references is a plain copy.
        internal static void BulkMoveWithWriteBarrier(ref byte destination, ref byte source, nuint byteCount)
        {
            fixed (byte* d = &destination) fixed (byte* s = &source) Kernel.Runtime.Bytes.Copy(d, s, byteCount);
        }

        public static void MemoryCopy(void* source, void* destination, long destinationSizeInBytes, long sourceBytesToCopy) =>
            Kernel.Runtime.Bytes.Copy(destination, source, (ulong)sourceBytesToCopy);
    }

    internal static unsafe class SpanHelpers
    {
        public static void Memmove(ref byte destination, ref byte source, nuint length)
        {
            fixed (byte* d = &destination) fixed (byte* s = &source) Kernel.Runtime.Bytes.Copy(d, s, length);
        }

        public static void Fill(ref byte destination, byte value, nuint length)
        {
            fixed (byte* d = &destination) Kernel.Runtime.Bytes.Fill(d, value, length);
        }

        public static void ClearWithoutReferences(ref byte destination, nuint length)
        {
            fixed (byte* d = &destination) Kernel.Runtime.Bytes.Zero(d, length);
        }

        public static void ClearWithReferences(ref nint destination, nuint pointerSizeLength)
        {
            fixed (nint* d = &destination) Kernel.Runtime.Bytes.Zero(d, pointerSizeLength * (nuint)sizeof(nint));
        }
    }
}

namespace System.Runtime.InteropServices
{
    public interface IDynamicInterfaceCastable
    {
        internal static nint GetDynamicInterfaceImplementation(object instance, RuntimeTypeHandle interfaceType, ushort slot)
        {
            Panic.Halt("dynamic interface casting is not supported");
            return 0;
        }
    }
}

namespace System.Runtime.CompilerServices
{
    // Static constructors ILC could not run at compile time run here, once, on first use.
    public unsafe struct StaticClassConstructionContext
    {
        public nint cctorMethodAddress;
    }

    internal static unsafe class ClassConstructorRunner
    {
        static void EnsureClassConstructorRun(StaticClassConstructionContext* context)
        {
            nint cctor = context->cctorMethodAddress;
            if (cctor == 0) return;
            context->cctorMethodAddress = 0;
            ((delegate*<void>)cctor)();
        }

        static object CheckStaticClassConstructionReturnGCStaticBase(StaticClassConstructionContext* context, object gcStaticBase)
        {
            EnsureClassConstructorRun(context);
            return gcStaticBase;
        }

        static nint CheckStaticClassConstructionReturnNonGCStaticBase(StaticClassConstructionContext* context, nint nonGcStaticBase)
        {
            EnsureClassConstructorRun(context);
            return nonGcStaticBase;
        }

        static object CheckStaticClassConstructionReturnThreadStaticBase(nint context, object threadStaticBase)
        {
            Panic.Halt("thread statics are not supported");
            return null;
        }
    }
}

namespace Internal.Runtime.CompilerHelpers
{
    using System;

    internal static class LdTokenHelpers
    {
        private static RuntimeTypeHandle GetRuntimeTypeHandle(nint type) => new RuntimeTypeHandle { _value = type };
        private static RuntimeMethodHandle GetRuntimeMethodHandle(nint method) => new RuntimeMethodHandle { _value = method };
        private static RuntimeFieldHandle GetRuntimeFieldHandle(nint field) => new RuntimeFieldHandle { _value = field };
    }

    internal static class MathHelpers
    {
        private static long Dbl2LngOvf(double value) { Panic.Halt("checked conversion of a double"); return 0; }
        private static ulong Dbl2ULngOvf(double value) { Panic.Halt("checked conversion of a double"); return 0; }
        private static int Dbl2IntOvf(double value) { Panic.Halt("checked conversion of a double"); return 0; }
        private static uint Dbl2UIntOvf(double value) { Panic.Halt("checked conversion of a double"); return 0; }
    }
}
