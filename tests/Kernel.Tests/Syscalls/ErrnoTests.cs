using System.Collections.Generic;
using System.Reflection;
using Kernel.Syscalls;
using Xunit;

namespace Kernel.Tests.Syscalls;

// Errno is the one errno definition for the syscall layer and the memory manager; its Name()
// switch is kept by hand, so check that no constant was added without its case.
public class ErrnoTests
{
    private static IEnumerable<FieldInfo> Constants()
    {
        foreach (FieldInfo field in typeof(Errno).GetFields(BindingFlags.Public | BindingFlags.Static))
            if (field.IsLiteral && field.FieldType == typeof(int)) yield return field;
    }

    [Fact]
    public void EveryConstantIsNamedPositiveOrNegated()
    {
        int count = 0;
        foreach (FieldInfo field in Constants())
        {
            int value = (int)field.GetRawConstantValue();
            Assert.Equal(field.Name, Errno.Name(value));
            Assert.Equal(field.Name, Errno.Name(-value));
            count++;
        }
        Assert.True(count >= 28, $"only {count} constants found");
    }

    [Fact]
    public void ValuesAreDistinct()
    {
        var seen = new HashSet<int>();
        foreach (FieldInfo field in Constants())
            Assert.True(seen.Add((int)field.GetRawConstantValue()), $"{field.Name} repeats a value");
    }

    [Theory]
    [InlineData(Errno.EPERM, 1)]
    [InlineData(Errno.ENOMEM, 12)]
    [InlineData(Errno.EINVAL, 22)]
    [InlineData(Errno.ENOSYS, 38)]
    [InlineData(Errno.EOVERFLOW, 75)]
    [InlineData(Errno.EOPNOTSUPP, 95)] // x86-64's value (ENOTSUP is the same number)
    public void ValuesAreLinuxX8664(int constant, int linux) => Assert.Equal(linux, constant);

    [Theory]
    [InlineData(0)]
    [InlineData(6)] // ENXIO: not listed
    [InlineData(4095)]
    public void UnlistedValuesAreUnknown(int error) => Assert.Equal("E?", Errno.Name(error));
}
