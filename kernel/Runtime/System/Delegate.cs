// Delegates exist so the compiler can build them; the kernel avoids them on hot paths (each
// is an allocation). ILC fills these fields when a delegate is constructed.
namespace System;

public abstract class Delegate
{
    internal object m_firstParameter;
    internal object m_helperObject;
    internal nint m_extraFunctionPointerOrData;
    internal nint m_functionPointer;
}

public abstract class MulticastDelegate : Delegate { }

public delegate void Action();
public delegate void Action<in T>(T arg);
public delegate TResult Func<out TResult>();
public delegate TResult Func<in T, out TResult>(T arg);
