using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Kernel.Fs.Proc;
using Xunit;

namespace Kernel.Tests.Fs.Proc;

/// <summary>Listing /proc and /proc/PID into linux_dirent64 records, resumed call after call,
/// against a pid set the test controls (a process may die between two calls).</summary>
public unsafe class ProcDirectoryTests
{
    private static SortedSet<int> s_live = new();

    private static int NextLivePid(int from)
    {
        foreach (int pid in s_live) if (pid >= from) return pid;
        return -1;
    }

    private record Dirent(ulong Inode, long Offset, int Length, byte Type, string Name);

    private static List<Dirent> Decode(byte[] buffer, int used)
    {
        var entries = new List<Dirent>();
        for (int at = 0; at < used;)
        {
            int length = BitConverter.ToUInt16(buffer, at + 16);
            Assert.True(length >= 24 && length % 8 == 0 && at + length <= used, $"record length {length} at {at}");
            int end = Array.IndexOf(buffer, (byte)0, at + 19);
            Assert.InRange(end, at + 19, at + length - 1);
            entries.Add(new Dirent(BitConverter.ToUInt64(buffer, at), BitConverter.ToInt64(buffer, at + 8), length, buffer[at + 18],
                                   Encoding.ASCII.GetString(buffer, at + 19, end - at - 19)));
            at += length;
        }
        return entries;
    }

    /// <summary>One getdents64-like call: the records, or the negative status.</summary>
    private static (int result, List<Dirent> entries) Call(ProcFile directory, int pid, int room, ref ulong position, int self = 1)
    {
        byte[] buffer = new byte[Math.Max(room, 1)];
        int result;
        fixed (byte* b = buffer) result = ProcDirectory.List(directory, pid, self, b, room, ref position, &NextLivePid);
        return (result, result > 0 ? Decode(buffer, result) : new List<Dirent>());
    }

    private static List<Dirent> ListAll(ProcFile directory, int pid, int room, int self = 1)
    {
        var all = new List<Dirent>();
        ulong position = 0;
        for (int calls = 0; calls < 10000; calls++)
        {
            var (result, entries) = Call(directory, pid, room, ref position, self);
            Assert.True(result >= 0, $"status {result}");
            if (result == 0) return all;
            all.AddRange(entries);
        }
        throw new Xunit.Sdk.XunitException("the listing never ended");
    }

    [Fact]
    public void RootListsItsFilesSelfAndEveryLivePid()
    {
        s_live = new SortedSet<int> { 1, 2, 17, 300 };
        var all = ListAll(ProcFile.Root, 0, 4096, self: 17);
        Assert.Equal(new[] { ".", "..", "meminfo", "buddyinfo", "slabinfo", "self", "1", "2", "17", "300" }, all.Select(e => e.Name));
        Assert.Equal(new byte[] { 4, 4, 8, 8, 8, 4, 4, 4, 4, 4 }, all.Select(e => e.Type));
        Assert.Equal(ProcDirectory.RootInode, all[0].Inode);
        Assert.Equal(all.Single(e => e.Name == "17").Inode, all.Single(e => e.Name == "self").Inode);
        Assert.All(all, e => Assert.NotEqual(0UL, e.Inode));
        Assert.Equal(all.Count, all.Select(e => e.Inode).Distinct().Count() + 2); // ".." of /proc is inode 1 too; self shares 17's
        for (int i = 1; i < all.Count; i++) Assert.True(all[i].Offset > all[i - 1].Offset, "d_off increases");
    }

    [Fact]
    public void ProcessDirectoryListsMaps()
    {
        s_live = new SortedSet<int> { 5 };
        var all = ListAll(ProcFile.ProcessDirectory, 5, 4096);
        Assert.Equal(new[] { ".", "..", "maps" }, all.Select(e => e.Name));
        Assert.Equal(new byte[] { 4, 4, 8 }, all.Select(e => e.Type));
        Assert.Equal(ProcDirectory.RootInode, all[1].Inode); // ".." is /proc
    }

    [Fact]
    public void ABufferTooSmallForOneEntryIsEinvalAndLosesNothing()
    {
        s_live = new SortedSet<int> { 1 };
        ulong position = 0;
        Assert.Equal(-22, Call(ProcFile.Root, 0, 0, ref position).result);
        Assert.Equal(-22, Call(ProcFile.Root, 0, 23, ref position).result);
        Assert.Equal(0UL, position);
        var (result, entries) = Call(ProcFile.Root, 0, 24, ref position);
        Assert.Equal(24, result);
        Assert.Equal(".", Assert.Single(entries).Name);
        position = 2;
        Assert.Equal(-22, Call(ProcFile.Root, 0, 24, ref position).result); // "meminfo" needs 32 bytes
        Assert.Equal(2UL, position);
        Assert.Equal("meminfo", Assert.Single(Call(ProcFile.Root, 0, 32, ref position).entries).Name);
    }

    [Fact]
    public void EndIsZeroEvenWithATinyBuffer()
    {
        s_live = new SortedSet<int>();
        ulong position = 0;
        ListAll(ProcFile.ProcessDirectory, 3, 4096);
        position = 3;
        Assert.Equal(0, Call(ProcFile.ProcessDirectory, 3, 0, ref position).result);
    }

    [Fact]
    public void SeekingToAnEntrysOffsetResumesAfterIt()
    {
        s_live = new SortedSet<int> { 4, 9, 12 };
        var all = ListAll(ProcFile.Root, 0, 4096);
        for (int i = 0; i < all.Count; i++)
        {
            ulong position = (ulong)all[i].Offset;
            var rest = ListAllFrom(position);
            Assert.Equal(all.Skip(i + 1).Select(e => e.Name), rest.Select(e => e.Name));
        }
    }

    private static List<Dirent> ListAllFrom(ulong position)
    {
        var all = new List<Dirent>();
        while (true)
        {
            var (result, entries) = Call(ProcFile.Root, 0, 4096, ref position);
            if (result <= 0) return all;
            all.AddRange(entries);
        }
    }

    /// <summary>Random pid sets, buffer sizes and deaths/births between calls: every pid alive
    /// through the whole listing is listed exactly once, in ascending order, and no name twice.</summary>
    [Fact]
    public void RandomizedResumedListingsAgainstAModel()
    {
        int seed = Environment.TickCount;
        var random = new Random(seed);
        try
        {
            for (int round = 0; round < 300; round++)
            {
                s_live = new SortedSet<int>();
                int count = random.Next(0, 60);
                while (s_live.Count < count) s_live.Add(random.Next(1, random.Next(2) == 0 ? 100 : ProcPath.MaxPid + 1));
                var alwaysAlive = new SortedSet<int>(s_live);
                ulong position = 0;
                var names = new List<string>();
                long lastOffset = -1;
                for (int calls = 0; ; calls++)
                {
                    Assert.True(calls < 10000, "the listing never ended");
                    int room = random.Next(16, 200);
                    ulong before = position;
                    var (result, entries) = Call(ProcFile.Root, 0, room, ref position);
                    if (result == -22)
                    {
                        Assert.True(room < 32, $"EINVAL with room {room}: every entry here fits in 32 bytes");
                        Assert.Equal(before, position);
                        continue;
                    }
                    Assert.True(result >= 0, $"status {result} with room {room}");
                    if (result == 0) break;
                    Assert.True(result <= room);
                    foreach (var e in entries)
                    {
                        Assert.True(e.Offset > lastOffset, "d_off increases");
                        lastOffset = e.Offset;
                        names.Add(e.Name);
                    }
                    Assert.Equal((ulong)entries[^1].Offset, position);
                    if (random.Next(3) == 0 && s_live.Count > 0) // a process dies
                    {
                        int victim = s_live.ElementAt(random.Next(s_live.Count));
                        s_live.Remove(victim);
                        alwaysAlive.Remove(victim);
                    }
                    if (random.Next(3) == 0) s_live.Add(random.Next(1, 1000)); // one is born
                }
                Assert.Equal(new[] { ".", "..", "meminfo", "buddyinfo", "slabinfo", "self" }, names.Take(6));
                var pids = names.Skip(6).Select(int.Parse).ToList();
                Assert.Equal(pids.OrderBy(p => p), pids);
                Assert.Equal(pids.Count, pids.Distinct().Count());
                Assert.Subset(new HashSet<int>(pids), new HashSet<int>(alwaysAlive));
            }
        }
        catch
        {
            Console.WriteLine($"ProcDirectoryTests seed {seed}");
            throw;
        }
    }
}
