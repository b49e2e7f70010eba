#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# make_corpus.py - writes the seed corpora of fuzz/elf.c, bus.c,
# hypercall.c and kvmrun.c into fuzz/corpus/NAME/ (run from the top of the
# kit: python3 fuzz/make_corpus.py). Each seed is a small input that
# reaches one interesting path: a load that must succeed or a refusal for
# each check, an access at a device's edge or at 2^64, a FILL whose buffer
# is its own struct, a command line at each limit. With the x86 guests
# built (build/x86_64/guest/...), the ELF seeds also hold real guests, cut
# after their last segment's bytes. The files are committed; this script
# is only how they were made.
import os
import struct
import sys

TOP = 2**64
EM_X86_64, EM_AARCH64 = 62, 183
PF_X, PF_W, PF_R = 1, 2, 4


def write(name, seed, data):
    d = os.path.join("fuzz", "corpus", name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, seed), "wb") as f:
        f.write(data)


# ---- elf ---------------------------------------------------------------

def ehdr(machine, entry, phoff, phnum, etype=2, cls=2, data=1, ver=1, phentsize=56):
    ident = b"\x7fELF" + bytes([cls, data, ver]) + bytes(9)
    return ident + struct.pack("<HHIQQQIHHHHHH", etype, machine, ver, entry, phoff, 0, 0,
                               64, phentsize, phnum, 64, 0, 0)


def phdr(paddr, filesz, memsz, offset, flags=PF_R | PF_X, ptype=1, vaddr=None):
    vaddr = paddr if vaddr is None else vaddr
    return struct.pack("<IIQQQQQQ", ptype, flags, offset, vaddr, paddr, filesz, memsz, 8)


def image(machine, segs, entry, **kw):
    """segs: (paddr, bytes, memsz, flags[, ptype, vaddr, offset])."""
    phoff = 64
    body_at = phoff + 56 * len(segs)
    out_ph, body = b"", b""
    for s in segs:
        paddr, data, memsz, flags = s[:4]
        ptype = s[4] if len(s) > 4 else 1
        vaddr = s[5] if len(s) > 5 else None
        offset = s[6] if len(s) > 6 else body_at + len(body)
        out_ph += phdr(paddr, len(data), memsz, offset, flags, ptype, vaddr)
        body += data
    return ehdr(machine, entry, phoff, len(segs), **kw) + out_ph + body


def elf_seeds():
    code = bytes(range(0x90, 0xa0))
    A, B, C = 0x100000, 0x110000, TOP - 0x3000
    # fuzz/elf.c takes x86_64 as the machine on every host: the arm64
    # copies of the good images are the ones refused for their machine.
    for m, tag in ((EM_X86_64, "x86"), (EM_AARCH64, "arm64")):
        ok = {
            "min": image(m, [(A, code, 64, PF_R | PF_X)], A),
            "text-data": image(m, [(A, code, 16, PF_R | PF_X), (A + 0x1000, b"d" * 8, 0x800,
                                                                PF_R | PF_W)], A + 4),
            "top-slot": image(m, [(C, code, 0x2000, PF_R | PF_X)], C + 0x1fff),
            "second-slot": image(m, [(B, code, 0x1000, PF_R | PF_X)], B),
            "eight": image(m, [(A + 0x100 * i, code, 0x100, PF_R | PF_X) for i in range(8)],
                           A + 0x700),
            "note-ignored": image(m, [(0, b"n" * 4, 4, PF_R, 4, 5), (A, code, 16, PF_X)], A),
            "empty-seg": image(m, [(TOP - 1, b"", 0, PF_R), (A, code, 16, PF_X)], A),
        }
        for k, v in ok.items():
            write("elf", "%s-ok-%s" % (tag, k), v)
    m = EM_X86_64
    bad = {
        "across-slots": image(m, [(B - 8, code, 16, PF_X)], B - 8),
        "past-top": image(m, [(TOP - 0x1000 - 8, code, 16, PF_X)], TOP - 0x1000 - 8),
        "wraps": image(m, [(C, code, TOP - C + 0x10, PF_X)], C),
        "gap": image(m, [(0x200000, code, 16, PF_X)], 0x200000),
        "overlap": image(m, [(A, code, 32, PF_X), (A + 16, code, 16, PF_R)], A),
        "overlap-top": image(m, [(C, code, 0x2000, PF_X), (C + 0x1000, code, 16, PF_R)], C),
        "entry-noexec": image(m, [(A, code, 16, PF_R | PF_W)], A),
        "entry-outside": image(m, [(A, code, 16, PF_X)], A + 16),
        "nine": image(m, [(A + 0x100 * i, code, 0x100, PF_X) for i in range(9)], A),
        "filesz-big": image(m, [(A, code, 8, PF_X)], A),
        "offset-past": image(m, [(A, code, 16, PF_X, 1, None, 0x10000)], A),
        "offset-wrap": image(m, [(A, code, 16, PF_X, 1, None, TOP - 8)], A),
        "empty-offset-past": image(m, [(A, b"", 0, PF_R, 1, None, 0x10000),
                                       (A, code, 16, PF_X)], A),
        "vaddr-differs": image(m, [(A, code, 16, PF_X, 1, A + 0x1000)], A),
        "no-load": image(m, [(A, code, 16, PF_X, 6)], A),
        "dyn": image(m, [(A, code, 16, PF_X)], A, etype=3),
        "class32": image(m, [(A, code, 16, PF_X)], A, cls=1),
        "big-endian": image(m, [(A, code, 16, PF_X)], A, data=2),
        "version": image(m, [(A, code, 16, PF_X)], A, ver=0),
        "phentsize": image(m, [(A, code, 16, PF_X)], A, phentsize=32),
    }
    for k, v in bad.items():
        write("elf", "x86-bad-" + k, v)
    mini = image(m, [(A, code, 64, PF_X)], A)
    hdr = bytearray(mini)
    hdr[32:40] = struct.pack("<Q", 65)  # program headers misaligned
    write("elf", "x86-bad-phoff-odd", bytes(hdr))
    hdr = bytearray(mini)
    hdr[56:58] = struct.pack("<H", 0)
    write("elf", "x86-bad-phnum0", bytes(hdr))
    hdr = bytearray(mini)
    hdr[56:58] = struct.pack("<H", 0xffff)
    write("elf", "x86-bad-phnum-huge", bytes(hdr))
    for n in (0, 4, 63, 64, 100):
        write("elf", "x86-cut-%d" % n, mini[:n])
    # Real guests, cut after their last segment's file bytes.
    for path in ("build/x86_64/guest/02-c-guests/hello.img",
                 "build/x86_64/guest/02-c-guests/regs_pattern.img",
                 "build/x86_64/guest/03-hypercalls/hypercalls.img"):
        if not os.path.exists(path):
            continue
        img = open(path, "rb").read()
        phoff, = struct.unpack_from("<Q", img, 32)
        phnum, = struct.unpack_from("<H", img, 56)
        end = phoff + 56 * phnum
        for i in range(phnum):
            _, _, off, _, _, filesz = struct.unpack_from("<IIQQQQ", img, phoff + 56 * i)
            end = max(end, off + filesz)
        name = os.path.basename(path)[:-4]
        write("elf", "guest-" + name, img[:end])
        write("elf", "guest-%s-truncated" % name, img[:end - 1])


# ---- bus ---------------------------------------------------------------
# Operation bytes, as fuzz/bus.c reads them.
def sel(mod, mode, hi, shift):
    """The selector byte s with s % mod == mode and s >> shift == hi."""
    return next(s for s in range(256) if s % mod == mode and s >> shift == hi)


def at_low(v): return bytes([0, v & 0xff])              # addr v (0-255)
def at_top(k): return bytes([1, k & 0xff])              # addr 2^64-1-k
def at_base(dev, d=0): return bytes([sel(6, 2, dev, 3), d & 0xff])   # device's base + d
def at_end(dev, d=0): return bytes([sel(6, 3, dev, 3), d & 0xff])    # device's end + d
def at_mmio(x, d=0): return bytes([4, d & 0xff]) + struct.pack("<H", x)  # 0x10000000 + 16x + d
def at_raw(v): return bytes([5, 0]) + struct.pack("<Q", v % TOP)
def len_small(n): return bytes([sel(6, 0, n, 3)])       # 0-31
def len_to_top(): return bytes([2])
def len_past_top(): return bytes([3])
def len_raw(v): return bytes([5]) + struct.pack("<Q", v % TOP)
def reg(addr, ln, sizes=0xf, unaligned=False, err=False):
    return bytes([0]) + addr + ln + bytes([sizes | (0x10 if unaligned else 0) | (0x20 if err else 0)])
def unreg(i): return bytes([2, i])
def find(addr, n): return bytes([3]) + addr + bytes([n])
def access(addr, n, write=False, strict=False):
    return bytes([4]) + addr + bytes([0x42, n | (0x10 if write else 0) | (0x20 if strict else 0)]) \
        + bytes(range(16))
TRACE = bytes([7])


def bus_seeds():
    dev = reg(at_mmio(0), len_raw(0x100))
    write("bus", "read-write", dev + access(at_base(0), 4) + access(at_base(0, 8), 8, True)
          + access(at_base(0, 0xfe), 2) + access(at_base(0, 0xfd), 4) + find(at_base(0), 4)
          + find(at_end(0, -4), 4) + find(at_end(0, -3), 4))
    write("bus", "unaligned", reg(at_mmio(0), len_raw(0x10), 0x3, False) + access(at_base(0, 1), 2)
          + reg(at_mmio(0x10), len_raw(0x10), 0xf, True) + access(at_base(1, 1), 2)
          + access(at_base(1, 3), 4, True) + access(at_base(0), 4))
    write("bus", "top", reg(at_top(0xff), len_to_top()) + reg(at_top(0x1ff), len_past_top())
          + access(at_top(0), 1) + access(at_top(3), 8) + access(at_top(7), 8, True)
          + find(at_top(0), 2) + find(at_top(0), 1))
    write("bus", "zero", reg(at_low(0), len_small(16)) + reg(at_low(16), len_small(0))
          + access(at_low(0), 1) + access(at_low(15), 2) + find(at_low(0), 0))
    write("bus", "bad-lengths", dev + b"".join(access(at_base(0), n) for n in (0, 3, 5, 6, 7, 9)))
    many = b"".join(reg(at_mmio(i), len_small(16)) for i in range(18))
    write("bus", "full", many + reg(at_mmio(3, 8), len_small(4)) + access(at_base(5), 1))
    write("bus", "overlap", dev + reg(at_base(0, 0xf0), len_raw(0x20))
          + reg(at_end(0, -1), len_small(1)) + reg(at_end(0), len_small(1))
          + reg(at_raw(0), len_raw(TOP - 1)))
    write("bus", "unregister", many + unreg(3) + unreg(0) + reg(at_mmio(3), len_small(16))
          + access(at_mmio(3), 4, True) + find(at_mmio(0), 1) + unreg(15))
    write("bus", "unclaimed-trace", TRACE + access(at_raw(0x1234), 4) + access(at_raw(8), 8, True)
          + access(at_raw(8), 2, False, True) + TRACE + access(at_raw(9), 1, True, True))
    write("bus", "device-error", reg(at_mmio(0), len_small(8), 0xf, False, True)
          + access(at_base(0), 4) + access(at_base(0, 4), 4, True))


# ---- hypercall ----------------------------------------------------------
# Values, as fuzz/hypercall.c picks them.
def v_small(n): return bytes([sel(10, 0, n, 4)])   # 0-15
def v_slot(k, off): return bytes([sel(10, 1, k, 4)]) + struct.pack("<H", off)
def v_end(k, back): return bytes([sel(10, 2, k, 4), back])
def v_near(d): return bytes([3, d & 0xff])          # the first argument + d
def v_maxw(d): return bytes([4, d & 0xff])
def v_maxf(d): return bytes([5, d & 0xff])
def v_top(k): return bytes([6, k])
def v_raw(v): return bytes([7]) + struct.pack("<Q", v % TOP)
def v_u16(v): return bytes([8]) + struct.pack("<H", v)
def v_4g(n): return bytes([sel(10, 9, n, 4)])


def call(nr, *args, fill=None):
    """nr below 0xf0 is taken % 6; a larger one is any 64 bits."""
    a = list(args) + [v_small(0)] * (5 - len(args))
    out = (bytes([nr]) if nr < 0xf0 else b"\xff" + struct.pack("<Q", nr)) + b"".join(a)
    if fill is None:
        return out + b"\x00"
    buf, ln, seed = fill
    return out + b"\x01" + buf + ln + struct.pack("<Q", seed)


def calls(*cs, console=True, memory=b""):
    return bytes([(0 if console else 1) | (len(cs) - 1) << 1]) + b"".join(cs) + memory


def hypercall_seeds():
    text = b"hello from the guest\n"
    write("hypercall", "write", calls(call(1, v_slot(0, 0), v_u16(len(text))), memory=text))
    write("hypercall", "write-limits", calls(call(1, v_slot(0, 0), v_maxw(0)),
                                             call(1, v_slot(0, 0), v_maxw(1)),
                                             call(1, v_end(0, 16), v_small(15)),
                                             call(1, v_end(0, 8), v_small(9)),
                                             call(1, v_top(0), v_small(0)),
                                             call(1, v_end(2, 4), v_small(4))))
    write("hypercall", "write-no-console", calls(call(1, v_slot(1, 0), v_small(8)), console=False))
    write("hypercall", "write-huge", calls(call(1, v_slot(0, 0), v_top(0)),
                                           call(1, v_top(7), v_small(8)),
                                           call(1, v_slot(0, 0), v_4g(2))))
    write("hypercall", "mix5", calls(call(2, v_raw(1), v_raw(2), v_raw(3), v_raw(4), v_raw(5)),
                                     call(2, v_top(1), v_4g(1), v_small(7), v_raw(TOP - 2),
                                          v_u16(0xffff))))
    write("hypercall", "fill", calls(call(3, v_slot(0, 0x100), fill=(v_slot(0, 0x200), v_u16(64),
                                                                      0x10))))
    write("hypercall", "fill-self", calls(call(3, v_slot(0, 0x100), fill=(v_near(0), v_small(15),
                                                                           0x80)),
                                          call(3, v_slot(0, 0x100), fill=(v_near(-8), v_u16(40),
                                                                           1))))
    write("hypercall", "fill-limits", calls(call(3, v_slot(0, 0), fill=(v_slot(0, 0x10), v_maxf(0),
                                                                         0)),
                                            call(3, v_slot(0, 0), fill=(v_slot(0, 0x10), v_maxf(1),
                                                                         0)),
                                            call(3, v_end(0, 24), fill=(v_end(1, 16), v_small(15),
                                                                         3)),
                                            call(3, v_end(0, 23)),
                                            call(3, v_end(2, 24), fill=(v_end(2, 8), v_small(8),
                                                                         9)),
                                            call(3, v_top(0))))
    write("hypercall", "fill-zero", calls(call(3, v_slot(1, 0), fill=(v_top(0), v_small(0), 5))))
    write("hypercall", "exit", calls(call(4, v_raw(42)), call(4, v_top(1))))
    write("hypercall", "unknown", calls(call(0), call(5), call(1 << 32 | 1), call(TOP - 1)))


# ---- kvmrun ----------------------------------------------------------------

def cmdline(args, img=b""):
    a = b"\x00".join(x.encode() if isinstance(x, str) else x for x in args)
    return struct.pack("<H", len(a)) + a + img


def kvmrun_seeds():
    elf = image(EM_X86_64, [(0x100000, b"\xf4" * 16, 64, PF_R | PF_X)], 0x100000)
    cases = {
        "image": (["guest.img"], b"\xf4"),
        "help": (["--help", "--bogus"], b""),
        "all": (["--load", "0x2000", "--timeout", "5000", "--trace", "--no-sync-regs",
                 "--quiet", "--devices", "--no-strict", "--json", "out.json", "g"], b"\x90" * 8),
        "equals": (["--load=4096", "--timeout=86400000", "g"], b"\x90"),
        "abbrev": (["--lo", "0x1000", "--ti", "1", "--dev", "--no-st", "g"], b""),
        "ambiguous": (["--t", "g"], b""),
        "no-strict-alone": (["--no-strict", "g"], b""),
        "timeout-0": (["--timeout", "0", "g"], b""),
        "timeout-over": (["--timeout", "86400001", "g"], b""),
        "load-odd": (["--load", "0x1008", "g"], b""),
        "load-top": (["--load", "0x9fff0", "g"], b"\x90" * 16),
        "load-too-big": (["--load", "0x9fff0", "g"], b"\x90" * 17),
        "load-neg": (["--load", "-16", "g"], b""),
        "load-empty": (["--load=", "g"], b""),
        "missing-arg": (["g", "--json"], b""),
        "two-images": (["a", "b"], b""),
        "dashdash": (["--trace", "--", "--help"], b""),
        "dash": (["-"], b""),
        "short": (["-h", "g"], b""),
        "flag-value": (["--trace=1", "g"], b""),
        "none": ([], b""),
        "elf": (["g"], elf),
        "elf-short": (["g"], b"\x7fELF"),
        "empty-image": (["g"], b""),
    }
    for k, (args, img) in cases.items():
        write("kvmrun", k, cmdline(args, img))
    write("kvmrun", "empty-arg", struct.pack("<H", 3) + b"\x00\x00\x00")


def main():
    if not os.path.isdir("fuzz"):
        sys.exit("make_corpus.py: run it from the top of the kit")
    elf_seeds()
    bus_seeds()
    hypercall_seeds()
    kvmrun_seeds()


main()
