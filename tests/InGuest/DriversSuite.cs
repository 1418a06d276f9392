// The drivers as the running kernel left them: the console input ring, the keyboard and serial
// interrupt lines, the RTC, the screens (VGA text under BIOS, the framebuffer under UEFI) and
// what power-off will use.
using Kernel.Arch.X64;
using Kernel.Boot;
using Kernel.Diagnostics.Testing;
using Kernel.Drivers.Console;
using Kernel.Drivers.Framebuffer;
using Kernel.Drivers.Keyboard;
using Kernel.Drivers.Rtc;
using Kernel.Drivers.Serial;
using Kernel.Drivers.Vga;

namespace Kernel.Tests.InGuest;

public static unsafe class DriversSuite
{
    public const string Name = "drivers";

    public static void Register(TestSuite suite)
    {
        suite.Add("console_input_fifo_order", &InputFifo);
        suite.Add("console_input_drops_when_full", &InputDropsWhenFull);
        suite.Add("keyboard_on_irq1", &KeyboardOnIrq1);
        suite.Add("serial_on_irq4", &SerialOnIrq4);
        suite.Add("rtc_reads_a_valid_date", &RtcValid);
        suite.Add("vga_text_ansi_subset", &VgaAnsi);
        suite.Add("framebuffer_console_draws", &FramebufferDraws);
        suite.Add("power_off_paths_known", &PowerPaths);
    }

    static void InputFifo()
    {
        ulong token = Kernel.Platform.Interrupts.SaveAndDisable();
        ConsoleInput.Discard();
        for (int i = 0; i < 100; i++) ConsoleInput.Push((byte)i);
        bool inOrder = true;
        for (int i = 0; i < 100; i++) inOrder &= ConsoleInput.TryPop(out byte b) && b == (byte)i;
        bool empty = !ConsoleInput.TryPop(out byte _);
        Kernel.Platform.Interrupts.Restore(token);
        KTest.Assert(inOrder, "bytes come out in the order they went in");
        KTest.Assert(empty, "then the queue is empty");
    }

    static void InputDropsWhenFull()
    {
        ulong token = Kernel.Platform.Interrupts.SaveAndDisable();
        ConsoleInput.Discard();
        ulong droppedBefore = ConsoleInput.DroppedBytes;
        for (int i = 0; i < ConsoleInput.Capacity + 10; i++) ConsoleInput.Push((byte)'x');
        ulong dropped = ConsoleInput.DroppedBytes - droppedBefore;
        int popped = 0;
        while (ConsoleInput.TryPop(out byte _)) popped++;
        Kernel.Platform.Interrupts.Restore(token);
        KTest.ExpectEqual(10UL, dropped, "bytes past the capacity are dropped and counted");
        KTest.ExpectEqual((ulong)ConsoleInput.Capacity, (ulong)popped, "a full queue's worth comes out");
    }

    static void KeyboardOnIrq1()
    {
        KTest.Assert(Ps2Keyboard.Enabled, "i8042 answered and port 1 is on");
        KTest.Assert(InterruptDispatch.HasHandler(Ps2Keyboard.Irq), "IRQ 1 handler");
        byte config = 0;
        // Read the controller configuration back (command 0x20) with interrupts off, so the
        // byte is not taken by the keyboard handler.
        ulong token = Kernel.Platform.Interrupts.SaveAndDisable();
        Cpu.OutByte(0x64, 0x20);
        for (int spin = 0; spin < 100_000; spin++)
            if ((Cpu.InByte(0x64) & 1) != 0) { config = Cpu.InByte(0x60); break; }
        Kernel.Platform.Interrupts.Restore(token);
        KTest.Assert((config & 0x01) != 0, "port 1 interrupt enabled");
        KTest.Assert((config & 0x40) != 0, "translation to scan code set 1");
        KTest.Assert((config & 0x10) == 0, "port 1 clock on");
    }

    static void SerialOnIrq4()
    {
        KTest.Assert(Uart16550.Present, "COM1 present (QEMU)");
        KTest.Assert(SerialInput.Enabled, "serial input on");
        KTest.Assert(InterruptDispatch.HasHandler(SerialInput.Irq), "IRQ 4 handler");
        KTest.ExpectEqual(1UL, (ulong)(Cpu.InByte(0x3f9) & 0x0f), "UART interrupts: received data only");
    }

    static void RtcValid()
    {
        KTest.Assert(CmosRtc.TryRead(out RtcDateTime t), "two identical readings that decode");
        KTest.Assert(Calendar.IsValid(t), "a valid calendar date");
        KTest.Assert(t.Year >= 2000 && t.Year < 2200, "a plausible year (QEMU starts from the host clock or -rtc base)");
    }

    static void VgaAnsi()
    {
        if (!VgaTextConsole.Enabled) { KTest.Skip("no VGA text screen (UEFI)"); return; }
        byte* text = stackalloc byte[32];
        int n = Copy("\nabcd\x1b[2Dz\x1b[K", text);
        VgaTextConsole.Write(text, n);
        int row = VgaTextConsole.CursorRow;
        KTest.ExpectEqual((ulong)'a', VgaTextConsole.CharAt(row, 0), "a");
        KTest.ExpectEqual((ulong)'b', VgaTextConsole.CharAt(row, 1), "b");
        KTest.ExpectEqual((ulong)'z', VgaTextConsole.CharAt(row, 2), "cursor left 2 then z overwrote c");
        KTest.ExpectEqual((ulong)' ', VgaTextConsole.CharAt(row, 3), "erase to end of line removed d");
        KTest.ExpectEqual(3UL, (ulong)VgaTextConsole.CursorColumn, "cursor after z");
        byte nl = (byte)'\n';
        VgaTextConsole.Write(&nl, 1);
    }

    static void FramebufferDraws()
    {
        bool rgb = BootData.Info->HasFramebuffer && BootData.Info->FramebufferType == 1;
        if (!rgb) { KTest.Skip("no RGB framebuffer (BIOS text mode)"); return; }
        KTest.Assert(FramebufferScreen.Ready, "framebuffer console set up");
        FramebufferConsole* console = FramebufferScreen.Console;
        byte* text = stackalloc byte[16];
        int n = Copy("\nfb-ok", text);
        FramebufferScreen.Write(text, n);
        int row = console->CursorRow;
        KTest.ExpectEqual((ulong)'f', (ulong)console->CharAt(row, 0), "f drawn");
        KTest.ExpectEqual((ulong)'k', (ulong)console->CharAt(row, 4), "k drawn");
        KTest.Assert(console->Columns * FramebufferScreen.FontWidth <= (int)BootData.Info->FramebufferWidth, "cells fit the width");
        byte nl = (byte)'\n';
        FramebufferScreen.Write(&nl, 1);
    }

    static int Copy(string s, byte* dst)
    {
        for (int i = 0; i < s.Length; i++) dst[i] = (byte)s[i];
        return s.Length;
    }

    static void PowerPaths()
    {
        KTest.Assert(PowerControl.DebugExitPresent, "QEMU's isa-debug-exit answers (the harness always adds it)");
        KTest.Assert(AcpiTables.HasFadt, "FADT parsed");
        KTest.Assert(AcpiTables.HasS5, "_S5 found in the DSDT");
        KTest.Assert(AcpiTables.Fadt->Pm1aControlPort != 0, "PM1a control port known");
    }
}
