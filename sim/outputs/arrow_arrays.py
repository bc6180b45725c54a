"""numpy arrays and text as Arrow arrays, without pyarrow's pandas shim.

``pyarrow.array`` (and ``Array.to_numpy``) ask pyarrow's pandas shim whether a value is a
pandas object, and the shim imports pandas to answer: a quarter of a second, the largest part
of a short run's overhead, for tables that never touch pandas. ``pyarrow.Array.from_buffers``
(pyarrow's public zero-copy constructor) takes the arrays' memory as it is: numbers and dates
without a copy, booleans packed into bits, text as UTF-8 bytes and offsets. The arrays equal
what ``pyarrow.array`` makes of the same values (tests/test_outputs.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

_TYPES = {
    np.dtype(np.float64): pa.float64(),
    np.dtype(np.float32): pa.float32(),
    np.dtype(np.int64): pa.int64(),
    np.dtype(np.int32): pa.int32(),
    np.dtype(np.int16): pa.int16(),
    np.dtype(np.int8): pa.int8(),
    np.dtype(np.uint8): pa.uint8(),
}


def validity(mask: Any) -> pa.Buffer:
    """A boolean mask as an Arrow bitmap (a validity buffer: True where a value is there)."""
    return pa.py_buffer(np.packbits(np.asarray(mask, dtype=bool), bitorder="little"))


def numbers(values: Any) -> pa.Array:
    """A 1-d numpy array of numbers or booleans as an Arrow array (NaN stays NaN)."""
    array = np.ascontiguousarray(values)
    if array.ndim != 1:
        raise ValueError(f"a 1-d array, not {array.ndim}-d")
    if array.dtype == np.bool_:
        return pa.Array.from_buffers(pa.bool_(), array.size, [None, validity(array)])
    kind = _TYPES.get(array.dtype)
    if kind is None:
        raise TypeError(f"no Arrow type for {array.dtype}")
    return pa.Array.from_buffers(kind, array.size, [None, pa.py_buffer(array)])


def _missing(value: Any) -> bool:
    return value is None or (type(value) is float and value != value)  # None or NaN


def text(values: Sequence[Any]) -> pa.Array:
    """Strings (None or NaN: a null, as pandas' missing text) as an Arrow string array."""
    missing = [_missing(v) for v in values]
    if any(type(v) is not str for v, gone in zip(values, missing, strict=True) if not gone):
        raise TypeError("text holds a value that is not a string")
    encoded = [b"" if gone else v.encode("utf-8") for v, gone in zip(values, missing, strict=True)]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    present = validity(~np.array(missing, dtype=bool)) if any(missing) else None
    data = pa.py_buffer(b"".join(encoded))
    return pa.Array.from_buffers(pa.string(), len(encoded), [present, pa.py_buffer(offsets), data])


def repeated(labels: Sequence[str], codes: Any) -> pa.Array:
    """``labels[codes]`` as an Arrow string array (a negative code: a null), its bytes
    gathered by numpy from the labels' bytes: no Python work per row, and not pyarrow's
    ``dictionary_decode`` (which imports pyarrow.compute, a tenth of a second)."""
    codes = np.asarray(codes, dtype=np.int64)
    encoded = [label.encode("utf-8") for label in labels]
    blob = np.frombuffer(b"".join(encoded) or b"\0", dtype=np.uint8)
    sizes = np.array([len(b) for b in encoded] + [0], dtype=np.int64)  # last: a null's
    starts = np.concatenate([[0], np.cumsum(sizes[:-1])])
    row_codes = np.where(codes < 0, len(encoded), codes)
    lengths = sizes[row_codes]
    offsets = np.zeros(codes.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    if offsets[-1] >= 2**31:
        raise ValueError("more text than an Arrow string array holds")
    # byte j of row i is blob[starts[code_i] + (j - offsets[i])]
    gather = np.repeat(starts[row_codes] - offsets[:-1], lengths) + np.arange(offsets[-1])
    data = pa.py_buffer(np.ascontiguousarray(blob[gather]))
    present = validity(codes >= 0) if (codes < 0).any() else None
    return pa.Array.from_buffers(
        pa.string(), codes.size, [present, pa.py_buffer(offsets.astype(np.int32)), data]
    )


def dates(days: Any) -> pa.Array:
    """Days since 1970-01-01 (any integer or datetime64[D] array) as an Arrow date32 array."""
    as_days = np.asarray(days)
    if as_days.dtype.kind == "M":
        as_days = as_days.astype("datetime64[D]").astype(np.int64)
    array = np.ascontiguousarray(as_days, dtype=np.int32)
    return pa.Array.from_buffers(pa.date32(), array.size, [None, pa.py_buffer(array)])


def column(values: Any) -> pa.Array:
    """A numpy column as Arrow: numbers and booleans as :func:`numbers`, object or unicode
    text as :func:`text`, an Arrow array as it is."""
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values
    array = np.asarray(values)
    if array.dtype.kind in "OU":
        return text(array.tolist())
    return numbers(array)


def table(columns: Any) -> pa.Table:
    """A mapping of column names to numpy arrays (or Arrow arrays), or a pandas frame of
    numbers, booleans and text, as an Arrow table (a frame's column of missing text: a string
    column of nulls)."""
    if isinstance(columns, dict):
        return pa.table({name: column(values) for name, values in columns.items()})
    return pa.table({str(name): _frame_column(columns[name].to_numpy()) for name in columns})


def _frame_column(values: np.ndarray) -> pa.Array:
    """A pandas column's values: text converted by pyarrow in C++ (pandas is imported already
    for a frame), to the same array :func:`text` makes; numbers as :func:`numbers`."""
    if values.dtype.kind in "OU":
        return pa.array(values, pa.string(), from_pandas=True)
    return numbers(values)
