// ILC supplies the bodies of these methods as intrinsics (they cannot be written in C#).
namespace System.Runtime.CompilerServices;

public static unsafe class Unsafe
{
    [Intrinsic] public static void* AsPointer<T>(ref T value) => throw null;
    [Intrinsic] public static ref T AsRef<T>(void* source) => throw null;
    [Intrinsic] public static T As<T>(object o) where T : class => throw null;
    [Intrinsic] public static ref TTo As<TFrom, TTo>(ref TFrom source) => throw null;
    [Intrinsic] public static int SizeOf<T>() => throw null;
    [Intrinsic] public static ref T Add<T>(ref T source, int elementOffset) => throw null;
    [Intrinsic] public static ref T AddByteOffset<T>(ref T source, nuint byteOffset) => throw null;
    [Intrinsic] public static bool AreSame<T>(ref T left, ref T right) => throw null;
}
