; Ring 3 <-> ring 0: the SYSCALL entry, the return to user mode (SYSRET or IRET), the context
; switch between kernel stacks, and the first entry of a new task.
;
; The frame. Entry from ring 3, by SYSCALL or by an interrupt/exception, leaves the same 22
; qwords at the top of the task's kernel stack (kernel/Arch/X64/InterruptFrame.cs): 15 general
; registers, "vector" (for a syscall: its number, Linux's orig_rax), an error code, then RIP CS
; RFLAGS RSP SS. Below it, the 512-byte fxsave image of the user's x87/SSE state (the kernel's
; C# uses SSE, so the user's registers are saved on every entry and restored on the way out).
;
; The per-CPU area (kernel/Arch/X64/PerCpu.cs) is reached through GS in kernel mode; SWAPGS runs
; only on entry from and return to ring 3, so the user's GS base is never used by the kernel.
bits 64
%include "frame.inc"
%include "extable.inc"
extern syscall_dispatch, smap_clac_enabled, user_return_fault
global syscall_entry, syscall_entry_address, user_return, task_start_address, switch_context
global copy_user_bytes, strncpy_user

%define PERCPU_KERNEL_STACK 8
%define PERCPU_USER_RSP     16
%define USER_CS             0x2b
%define USER_SS             0x23
%define USER_LIMIT          0x00007ffffffff000

section .text
; SYSCALL: RCX = user RIP, R11 = user RFLAGS, SFMASK has cleared IF, TF, DF, AC and NT.
syscall_entry:
    swapgs
    mov [gs:PERCPU_USER_RSP], rsp
    mov rsp, [gs:PERCPU_KERNEL_STACK]
    push USER_SS
    push qword [gs:PERCPU_USER_RSP]
    push r11
    push USER_CS
    push rcx
    push 0                              ; error code
    push rax                            ; the syscall number, kept apart from the result
    push_general_registers
    mov rbx, rsp                        ; the frame (callee-saved: survives task switches)
    sub rsp, 512                        ; the kernel stack top is 16-aligned, so is this
    fxsave [rsp]
    mov rdi, rbx
    call syscall_dispatch
    ; fall through: back to the caller, with rax from the frame

; Returns to ring 3 through the frame at rbx, with the user's FPU image at rsp.
syscall_return:
    cli
    fxrstor [rsp]
    mov rsp, rbx
user_return:
    ; SYSRET only for a plain 64-bit user frame whose RIP is canonical and below the user
    ; limit (Intel raises #GP in ring 0 on a non-canonical RCX) and without TF/RF; else IRET.
    ; SYSRET loses RCX and R11, so the frame's must already equal RIP and RFLAGS (as after any
    ; SYSCALL); rt_sigreturn and a signal taken in an interrupt restore them through IRET.
    mov rcx, [rsp + FRAME_RIP]
    mov r11, USER_LIMIT
    cmp rcx, r11
    jae .iret
    cmp rcx, [rsp + FRAME_RCX]
    jne .iret
    mov r11, [rsp + FRAME_RFLAGS]
    cmp r11, [rsp + FRAME_R11]
    jne .iret
    cmp qword [rsp + FRAME_CS], USER_CS
    jne .iret
    cmp qword [rsp + FRAME_SS], USER_SS
    jne .iret
    test qword [rsp + FRAME_RFLAGS], 0x10100
    jnz .iret
    pop r15
    pop r14
    pop r13
    pop r12
    add rsp, 8                          ; r11: SYSRET loads RFLAGS from it
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    add rsp, 8                          ; rcx: SYSRET loads RIP from it
    pop rbx
    pop rax
    add rsp, 16                         ; vector, error code
    mov rcx, [rsp]                      ; RIP
    mov r11, [rsp + 16]                 ; RFLAGS
    mov rsp, [rsp + 24]                 ; user RSP (interrupts are off until SYSRET)
    swapgs
    o64 sysret
.iret:
    pop_general_registers
    add rsp, 16
    swapgs
.iret_instruction:
    iretq
    ; IRET itself faulted (#GP: a non-canonical RIP, a bad selector): we are still in ring 0
    ; with the user's GS base. Take the kernel's back and let the task die of SIGSEGV, as
    ; Linux does for a bad IRET frame; the exception table sends the fault here.
.iret_fault:
    swapgs
    and rsp, -16
    call user_return_fault              ; never returns
    ud2

; A new task's first switch "returns" here with rsp at its fxsave image (a clean FPU state)
; and the user frame right above it (kernel/Tasks/TaskStack.cs builds both).
task_start:
    lea rbx, [rsp + 512]
    jmp syscall_return

; void switch_context(ulong* saveRsp, ulong newRsp): saves the callee-saved registers and
; RFLAGS (a task that yielded with interrupts on gets them back on) on this stack, stores rsp,
; loads the other task's rsp and returns on its stack. The caller has already pointed
; TSS.RSP0, the per-CPU stack, CR3 and the FS base at the new task.
switch_context:
    pushfq
    cli
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov [rdi], rsp
    mov rsp, rsi
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    popfq
    ret

syscall_entry_address:
    lea rax, [rel syscall_entry]
    ret
task_start_address:
    lea rax, [rel task_start]
    ret

    EXTABLE user_return.iret_instruction, user_return.iret_fault

; User-memory copies. The caller (kernel/Arch/X64/UserMemory.cs) has checked that the user
; range lies below the user limit and does not wrap; a page that is not mapped, or not
; accessible, faults, and the exception table resumes at .fault: -EFAULT instead of a crash.
; STAC/CLAC open the SMAP window only around the copy.
%macro USER_ACCESS_BEGIN 0
    test byte [rel smap_clac_enabled], 1
    jz %%skip
    stac
%%skip:
%endmacro
%macro USER_ACCESS_END 0
    test byte [rel smap_clac_enabled], 1
    jz %%skip
    clac
%%skip:
%endmacro

; long copy_user_bytes(void* dst, void* src, ulong count): 0, or -14 if a fault stopped it.
copy_user_bytes:
    USER_ACCESS_BEGIN
    mov rcx, rdx
.copy:
    rep movsb
    xor eax, eax
    USER_ACCESS_END
    ret
.fault:
    mov rax, -14
    USER_ACCESS_END
    ret
    EXTABLE copy_user_bytes.copy, copy_user_bytes.fault

; long strncpy_user(byte* dst, byte* src, ulong max): the length of the string if its NUL came
; within max bytes (NUL copied too), max if not, -14 on a fault.
strncpy_user:
    USER_ACCESS_BEGIN
    xor eax, eax
.loop:
    cmp rax, rdx
    jae .done
.read:
    movzx ecx, byte [rsi + rax]
    mov [rdi + rax], cl
    test ecx, ecx
    jz .done
    inc rax
    jmp .loop
.fault:
    mov rax, -14
.done:
    USER_ACCESS_END
    ret
    EXTABLE strncpy_user.read, strncpy_user.fault
