// Runtime handle types: ldtoken and reflection-free type identity.
namespace System
{
    public struct RuntimeTypeHandle { internal nint _value; }
    public struct RuntimeMethodHandle { internal nint _value; }
    public struct RuntimeFieldHandle { internal nint _value; }

    public abstract class Type { }
    internal sealed class RuntimeType : Type { }

    public class Exception
    {
        public string Message;
        public Exception() { }
        public Exception(string message) { Message = message; }
    }
}
