// Platform-neutral shared source (kernel and host tests).
// Path normalisation for the read-only file layer: "a//b/./c/../d" -> "a/b/d". Paths are kept
// without a leading slash; the root is the empty path. ".." at the root stays at the root, as
// in Linux. A relative path is joined to a base directory first.
namespace Kernel.Fs;

public static unsafe class PathName
{
    public const int MaxLength = 4096; // PATH_MAX, NUL included

    /// <summary>
    /// Writes base + "/" + path (path alone when it starts with '/') normalised to
    /// <paramref name="output"/> (capacity MaxLength). Returns its length, or -1 when it does not fit.
    /// </summary>
    public static int Normalize(byte* basePath, int baseLength, byte* path, int length, byte* output)
    {
        int n = 0;
        if (length == 0 || path[0] != '/')
            if (!Append(basePath, baseLength, output, ref n)) return -1;
        if (!Append(path, length, output, ref n)) return -1;
        return n;
    }

    /// <summary>Adds the components of <paramref name="path"/> to the normalised path in output.</summary>
    static bool Append(byte* path, int length, byte* output, ref int n)
    {
        int i = 0;
        while (i < length)
        {
            while (i < length && path[i] == '/') i++;
            int start = i;
            while (i < length && path[i] != '/') i++;
            int part = i - start;
            if (part == 0 || (part == 1 && path[start] == '.')) continue;
            if (part == 2 && path[start] == '.' && path[start + 1] == '.')
            {
                while (n > 0 && output[n - 1] != '/') n--;
                if (n > 0) n--;
                continue;
            }
            int needed = (n > 0 ? 1 : 0) + part;
            if (n + needed >= MaxLength) return false;
            if (n > 0) output[n++] = (byte)'/';
            for (int k = 0; k < part; k++) output[n++] = path[start + k];
        }
        return true;
    }
}
