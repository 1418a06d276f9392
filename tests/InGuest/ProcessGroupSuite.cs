// Process groups, the console's foreground group and the alternate signal stack: group
// signalling reaches exactly the group's members, a Ctrl-C / Ctrl-\ byte from the input path
// becomes SIGINT / SIGQUIT for the foreground group (and is then not queued), sigaltstack's
// rules on a table entry, and /bin/altstack end to end with its output closed.
using Kernel.Diagnostics.Testing;
using Kernel.Fs;
using Kernel.Tasks;

namespace Kernel.Tests.InGuest;

public static unsafe class ProcessGroupSuite
{
    public const string Name = "pgrp";

    public static void Register(TestSuite suite)
    {
        suite.Add("group_signal_reaches_members_only", &GroupSignal);
        suite.Add("signal_keys_go_to_the_foreground_group", &SignalKeys);
        suite.Add("altstack_rules", &AltStackRules);
        suite.Add("user_program_altstack", &UserProgram);
    }

    /// <summary>A table entry that is never scheduled (state Free) in group <paramref name="pgid"/>.</summary>
    static Process* Member(int pgid)
    {
        Process* p = ProcessTable.Allocate();
        if (p == null) KTest.Fail("no process slot");
        p->Pgid = pgid == 0 ? p->Pid : pgid;
        return p;
    }

    static void GroupSignal()
    {
        Process* a = Member(0), b = Member(a->Pid), c = Member(0);
        KTest.ExpectEqual(0L, ProcessGroups.Signal(a->Pid, Signals.SIGTERM, SignalInfo.SiUser, 0), "a group with members: 0");
        KTest.ExpectEqual(SignalSend.Bit(Signals.SIGTERM), a->PendingSignals, "the leader got it");
        KTest.ExpectEqual(SignalSend.Bit(Signals.SIGTERM), b->PendingSignals, "the other member got it");
        KTest.ExpectEqual(0UL, c->PendingSignals, "another group did not");
        KTest.Assert(ProcessGroups.Member(c->Pid) == c, "Member finds a group's process");
        int empty = c->Pid;
        ProcessTable.Release(a);
        ProcessTable.Release(b);
        ProcessTable.Release(c);
        KTest.ExpectEqual(-3L, ProcessGroups.Signal(empty, 0, SignalInfo.SiUser, 0), "an empty group: ESRCH");
        KTest.Assert(ProcessGroups.Member(empty) == null, "and Member finds nobody");
    }

    static void SignalKeys()
    {
        int saved = ConsoleForeground.Group;
        Process* p = Member(0);
        ConsoleForeground.SetGroup(p->Pid);
        KTest.Assert(ConsoleForeground.OnInputByte(ConsoleForeground.Interrupt), "Ctrl-C with a foreground group is consumed");
        KTest.ExpectEqual(SignalSend.Bit(Signals.SIGINT), p->PendingSignals, "SIGINT pending in the group");
        KTest.ExpectEqual(SignalInfo.SiKernel, SignalInfo.Code(p, Signals.SIGINT), "si_code SI_KERNEL");
        KTest.Assert(ConsoleForeground.OnInputByte(ConsoleForeground.Quit), "Ctrl-\\ too");
        KTest.Assert((p->PendingSignals & SignalSend.Bit(Signals.SIGQUIT)) != 0, "SIGQUIT pending");
        KTest.Assert(!ConsoleForeground.OnInputByte((byte)'a'), "an ordinary byte is input");
        KTest.ExpectEqual((long)ConsoleForeground.Quit, ConsoleForeground.TakeTyped(), "the last key waits for the line discipline's echo");
        KTest.ExpectEqual(0L, ConsoleForeground.TakeTyped(), "taken once");
        ProcessTable.Release(p);
        KTest.Assert(!ConsoleForeground.OnInputByte(ConsoleForeground.Interrupt), "an empty foreground group: the byte is input");
        ConsoleForeground.SetGroup(0);
        KTest.Assert(!ConsoleForeground.OnInputByte(ConsoleForeground.Interrupt), "no foreground group: the byte is input");
        ConsoleForeground.SetGroup(saved);
    }

    static void AltStackRules()
    {
        Process* p = Member(0);
        byte* ss = stackalloc byte[SignalStack.Bytes];
        SignalStack.Describe(p, 0x7000_0000, ss);
        KTest.ExpectEqual((long)SignalStack.SsDisable, *(int*)(ss + 8), "none at first: SS_DISABLE");
        *(ulong*)ss = 0x10_0000; *(int*)(ss + 8) = 0; *(ulong*)(ss + 16) = SignalStack.MinSize - 1;
        KTest.ExpectEqual(-12L, SignalStack.Set(p, 0x7000_0000, ss), "below MINSIGSTKSZ: ENOMEM");
        *(int*)(ss + 8) = 4;
        KTest.ExpectEqual(-22L, SignalStack.Set(p, 0x7000_0000, ss), "flags 4: EINVAL");
        *(int*)(ss + 8) = 0; *(ulong*)(ss + 16) = 0x4000;
        KTest.ExpectEqual(0L, SignalStack.Set(p, 0x7000_0000, ss), "a 16 KiB stack at 1 MiB");
        KTest.Assert(!SignalStack.On(p, 0x10_0000), "the base itself is not on it");
        KTest.Assert(SignalStack.On(p, 0x10_4000) && SignalStack.On(p, 0x10_0001), "(base, base + size] is");
        KTest.ExpectEqual(-1L, SignalStack.Set(p, 0x10_2000, ss), "changing it while on it: EPERM");
        ulong top = SignalStack.HandlerTop(p, 0x7000_0000, true, 128, out bool switched);
        KTest.Assert(switched && top == 0x10_4000, "an SA_ONSTACK handler starts at the top");
        top = SignalStack.HandlerTop(p, 0x10_2000, true, 128, out switched);
        KTest.Assert(!switched && top == 0x10_2000 - 128, "already on it: stays, below the red zone");
        top = SignalStack.HandlerTop(p, 0x7000_0000, false, 128, out switched);
        KTest.Assert(!switched && top == 0x7000_0000 - 128, "no SA_ONSTACK: the normal stack");
        *(int*)(ss + 8) = SignalStack.SsDisable;
        KTest.ExpectEqual(0L, SignalStack.Set(p, 0x7000_0000, ss), "SS_DISABLE");
        KTest.ExpectEqual(0UL, p->AltStackSize, "gone");
        ProcessTable.Release(p);
    }

    static void UserProgram()
    {
        int status = UserPrograms.RunQuiet("bin/altstack");
        KTest.ExpectEqual((long)WaitStatus.Exited(0), status, "/bin/altstack quiet: every check passed");
    }
}
