; Software interrupts for the `irq` suite: they enter the same stubs as hardware interrupts,
; so the dispatcher's paths for the local APIC's spurious vector and for a vector nobody
; handles can be exercised without a device.
bits 64
section .text
global raise_spurious_vector, raise_unused_vector

raise_spurious_vector:
    int 0xff
    ret

raise_unused_vector:
    int 0x50
    ret
