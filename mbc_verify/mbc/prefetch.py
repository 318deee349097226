"""A cache prefetch hint for numba loops: ``prefetch_row(v, i)`` asks for the cache line of row i of a 2-D array.

The matched-pair step (:mod:`mbc_verify.mbc.matching`) reads and writes the velocities of the pairs of a random
matching, i.e. at random rows: for N ≳ 10⁵ every pair costs two cache misses, and while a pair's arithmetic runs the
processor cannot look far enough ahead to overlap them. Asking for the rows of the pair ``PREFETCH_AHEAD`` places
ahead overlaps the misses with the work (U. Drepper, "What every programmer should know about memory", 2007, §6.3).

It is only a hint (``llvm.prefetch``: read, high locality, data cache): it changes no value, so results stay bitwise
the same; an index out of range is never dereferenced by the hardware prefetch, but callers pass valid rows anyway.
"""

from __future__ import annotations

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic


@intrinsic
def prefetch_row(typingctx, arr, i):  # noqa: ANN001, ANN201 — numba intrinsic signature
    """Prefetch the cache line holding arr[i, 0] (``llvm.prefetch``, read, locality 3, data)."""
    sig = types.void(arr, i)

    def codegen(context, builder, signature, args):  # noqa: ANN001, ANN202
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        row = context.cast(builder, args[1], signature.args[1], types.intp)
        zero = context.get_constant(types.intp, 0)
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [row, zero], wraparound=False)
        i8p = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]),
                                            "llvm.prefetch.p0")
        builder.call(fn, [builder.bitcast(ptr, i8p), i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return sig, codegen
