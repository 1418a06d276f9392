// ILC calls these when generated code detects an error (index out of range, bad cast...).
// The kernel has no exception handling: each one is a panic that names what went wrong.
using Kernel.Diagnostics;

namespace Internal.Runtime.CompilerHelpers;

internal static class ThrowHelpers
{
    public static void ThrowIndexOutOfRangeException() => Panic.Halt("index out of range");
    public static void ThrowNullReferenceException() => Panic.Halt("null reference");
    public static void ThrowDivideByZeroException() => Panic.Halt("divide by zero");
    public static void ThrowOverflowException() => Panic.Halt("arithmetic overflow");
    public static void ThrowInvalidCastException() => Panic.Halt("invalid cast");
    public static void ThrowArrayTypeMismatchException() => Panic.Halt("array type mismatch");
    public static void ThrowPlatformNotSupportedException() => Panic.Halt("platform not supported");
    public static void ThrowTypeLoadException() => Panic.Halt("type load failure");
    public static void ThrowTypeLoadExceptionWithArgument() => Panic.Halt("type load failure");
    public static void ThrowArgumentException() => Panic.Halt("bad argument");
    public static void ThrowArgumentOutOfRangeException() => Panic.Halt("argument out of range");
    public static void ThrowNotImplementedException() => Panic.Halt("not implemented");
    public static void ThrowNotSupportedException() => Panic.Halt("not supported");
    public static void ThrowBadImageFormatException() => Panic.Halt("bad image format");
    public static void ThrowMissingMethodException() => Panic.Halt("missing method");
    public static void ThrowMissingFieldException() => Panic.Halt("missing field");
    public static void ThrowInvalidProgramException() => Panic.Halt("invalid program");
    public static void ThrowInvalidProgramExceptionWithArgument() => Panic.Halt("invalid program");
    public static void ThrowFeatureBodyRemoved() => Panic.Halt("feature body removed by the compiler");
    public static void ThrowUnavailableType() => Panic.Halt("unavailable type");
}
