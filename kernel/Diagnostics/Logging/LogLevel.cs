namespace Kernel.Diagnostics;

/// <summary>Linux's printk levels: lower is more severe.</summary>
public enum LogLevel : byte
{
    Emergency = 0,
    Alert = 1,
    Critical = 2,
    Error = 3,
    Warning = 4,
    Notice = 5,
    Info = 6,
    Debug = 7,
}
