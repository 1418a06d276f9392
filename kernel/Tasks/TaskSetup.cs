// Brings up everything ring 3 needs, in order: the SYSCALL gate and per-CPU area, the task
// table with the boot thread as the kernel task, the initrd, the hook that turns a CPU
// exception in user mode into a signal, and the one that delivers signals on the way to ring 3.
using Kernel.Arch.X64;
using Kernel.Boot;
using Kernel.Diagnostics;
using Kernel.Fs;

namespace Kernel.Tasks;

public static unsafe class TaskSetup
{
    public static void Initialize()
    {
        SyscallGate.Initialize();
        Scheduler.Initialize();
        Vm.PageFaultHandler.Install();
        SignalDelivery.Install();
        Initrd.Initialize(BootData.Info);
        Log.Info($"tasks: SYSCALL gate at ring 0, user half [{Memory.Virtual.UserAddressSpace.Start:x}, {Memory.Virtual.UserAddressSpace.End:x}), random source {(RandomSource.HasHardwareSource ? "RDRAND" : "TSC (weak)")}");
    }
}
