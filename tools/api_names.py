"""The public functions of ``portax.numpy``, ``portax.numpy.linalg`` and ``portax.numpy.fft``: one table per module.

Each line is one generated function (``tools/gen_numpy_api.py`` writes its dispatcher with jax.numpy's signature):
its name, then its array parameters in signature order, each with its roles. The dispatcher finds the backend from
the array parameters and converts array-likes (NumPy arrays, lists, Python scalars) in them; a name with no array
parameter runs on the current backend (``zeros``, ``eye``). Roles, written ``parameter:role[:role]``:

- ``seq``: a sequence (``concat(arrays)``) or varargs tuple (``meshgrid(*xi)``) of arrays; each item is converted.
- ``nested``: a nested list whose structure matters (``block([[a, b], [c, d]])``); only its leaves are converted.
- ``raw``: passed to the backend unconverted: the data of a creation function (``asarray(a, dtype)``: converting
  ``16777217.0`` to a default float32 array first would round it before ``dtype=float64`` applies), a Python value
  that is the question (``isscalar(1.0)``), weakly typed scalars (``result_type(uint16, 1)`` is uint16), callables.
- ``list``: jax.numpy takes a list or tuple here (converted as an array). Without it (or ``raw``) a list or tuple is
  refused with JAX's ``TypeError`` ("sin requires ndarray or scalar arguments"), as jax.numpy's ``check_arraylike``
  does; for a ``seq`` parameter, a list or tuple as one of its items.

A line may end with options in brackets:

- ``[native]``: a backend may register an engine function for this name (``Backend.native_functions``); the
  dispatcher calls it directly when the array parameters without a default are all of one of the backend's array
  types and one dtype the backend lists, and every other parameter is at its default (``torch.add(x1, x2)`` for
  two float32 tensors). Parameters with a default must default to None, True or False (tested by identity).

The names cover the array API standard plus the jax.numpy extras people use; each name appears once.
"""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    """One generated function: its array parameters (with roles) and its options."""

    params: tuple[Param, ...]
    native: bool = False


class Param(NamedTuple):
    """One array parameter of a generated function and its roles."""

    name: str
    seq: bool = False
    nested: bool = False
    raw: bool = False
    lists: bool = False


_ROLES = {"seq", "nested", "raw", "list"}
_OPTIONS = {"[native]"}


def _table(text: str) -> dict[str, Entry]:
    """Parse a table: ``name param[:role...] ... [option]`` per line (``nested`` implies ``seq``)."""
    table: dict[str, Entry] = {}
    for line in text.strip().splitlines():
        name, *params = line.split()
        if name in table:
            raise ValueError(f"{name!r} is listed twice")
        options = {spec for spec in params if spec.startswith("[")}
        if options - _OPTIONS:
            raise ValueError(f"{name}: unknown option in {sorted(options)} (known: {sorted(_OPTIONS)})")
        parsed = []
        for spec in (spec for spec in params if not spec.startswith("[")):
            pname, *roles = spec.split(":")
            if set(roles) - _ROLES:
                raise ValueError(f"{name}: unknown role in {spec!r} (known: {sorted(_ROLES)})")
            parsed.append(Param(pname, seq="seq" in roles or "nested" in roles, nested="nested" in roles,
                                raw="raw" in roles, lists="list" in roles))
        table[name] = Entry(tuple(parsed), native="[native]" in options)
    return table


NUMPY = _table("""
abs                  x
absolute             x
acos                 x  [native]
acosh                x  [native]
add                  x1 x2  [native]
all                  a where
allclose             a b rtol:list atol:list
amax                 a initial:list where
amin                 a initial:list where
angle                z
any                  a where
append               arr values
arange               start:raw stop:raw step:raw
arccos               x  [native]
arccosh              x  [native]
arcsin               x  [native]
arcsinh              x  [native]
arctan               x  [native]
arctan2              x1 x2
arctanh              x  [native]
argmax               a
argmin               a
argpartition         a
argsort              a
argwhere             a fill_value:list
around               a
array                object:raw
array_equal          a1:list a2:list
array_equiv          a1:list a2:list
array_split          ary indices_or_sections:seq:list
asarray              a:raw
asin                 x  [native]
asinh                x  [native]
astype               x
atan                 x  [native]
atan2                x1 x2
atanh                x  [native]
atleast_1d           arys:seq
atleast_2d           arys:seq
atleast_3d           arys:seq
average              a:list weights
bartlett
bincount             x weights:list
bitwise_and          x1 x2
bitwise_count        x
bitwise_invert       x
bitwise_left_shift   x y
bitwise_not          x
bitwise_or           x1 x2
bitwise_right_shift  x1 x2
bitwise_xor          x1 x2
blackman
block                arrays:nested
broadcast_arrays     args:seq
broadcast_shapes
broadcast_to         array
can_cast             from_:list to:list
cbrt                 x
ceil                 x
choose               a choices:seq
clip                 arr min max
column_stack         tup:seq
compress             condition a fill_value
concat               arrays:seq
concatenate          arrays:seq
conj                 x
conjugate            x
convolve             a v
copy                 a
copysign             x1 x2
corrcoef             x y
correlate            a v
cos                  x  [native]
cosh                 x  [native]
count_nonzero        a
cov                  m y fweights aweights
cross                a b
cumprod              a
cumsum               a
cumulative_prod      x
cumulative_sum       x
deg2rad              x
degrees              x
delete               arr obj
diag                 v
diag_indices
diag_indices_from    arr
diagflat             v
diagonal             a
diff                 a prepend append
digitize             x bins
divide               x1 x2  [native]
divmod               x1 x2
dot                  a b
dsplit               ary indices_or_sections:seq:list
dstack               tup:seq
ediff1d              ary to_end to_begin
einsum               operands:seq
einsum_path          operands:seq:list
empty
empty_like           prototype
equal                x y
exp                  x  [native]
exp2                 x  [native]
expand_dims          a
expm1                x  [native]
extract              condition arr fill_value
eye                  k
fabs                 x
fill_diagonal        a val
finfo                dtype:list
flatnonzero          a fill_value:list
flip                 m
fliplr               m
flipud               m
float_power          x y
floor                x
floor_divide         x1 x2
fmax                 x1 x2
fmin                 x1 x2
fmod                 x1 x2
frexp                x
from_dlpack          x:list
full                 fill_value:raw
full_like            a fill_value:raw
gcd                  x1 x2
geomspace            start:raw stop:raw
gradient             f:list varargs:seq:list
greater              x y
greater_equal        x y
hamming
hanning
heaviside            x1 x2
histogram            a bins range:seq:list weights
histogram2d          x y bins:list range:seq:list weights
histogram_bin_edges  a bins range:seq:list weights:list
histogramdd          sample bins:list range:seq:list weights
hsplit               ary indices_or_sections:seq:list
hstack               tup:seq
hypot                x1 x2
i0                   x
identity
iinfo                int_type:list
imag                 val
indices
inner                a b
insert               arr obj values
interp               x xp fp left right period:list
intersect1d          ar1 ar2 fill_value:list
invert               x
isclose              a b rtol:list atol:list
iscomplex            x
iscomplexobj         x:list
isdtype              dtype:list
isfinite             x
isin                 element test_elements
isinf                x
isnan                x
isneginf             x
isposinf             x
isreal               x
isrealobj            x:list
isscalar             element:raw
issubdtype           arg1:list arg2:list
ix_                  args:seq
kaiser               beta:list
kron                 a b
lcm                  x1 x2
ldexp                x1 x2
left_shift           x y
less                 x y
less_equal           x y
lexsort              keys:seq
linspace             start:raw stop:raw
log                  x  [native]
log10                x  [native]
log1p                x  [native]
log2                 x  [native]
logaddexp            x1 x2
logaddexp2           x1 x2
logical_and          x1 x2
logical_not          x
logical_or           x1 x2
logical_xor          x1 x2
logspace             start:raw stop:raw base
mask_indices         mask_func:list
matmul               a b  [native]
matrix_transpose     x
matvec               x1 x2
max                  a initial:list where
maximum              x1 x2
mean                 a where
median               a
meshgrid             xi:seq
min                  a initial:list where
minimum              x1 x2
mod                  x1 x2
modf                 x
moveaxis             a
multiply             x1 x2  [native]
nan_to_num           x nan:list posinf:list neginf:list
nanargmax            a
nanargmin            a
nancumprod           a
nancumsum            a
nanmax               a initial:list where
nanmean              a where
nanmedian            a
nanmin               a initial:list where
nanpercentile        a q weights
nanprod              a initial:list where
nanquantile          a q weights
nanstd               a where mean
nansum               a initial:list where
nanvar               a where mean
ndim                 a:list
negative             x
nextafter            x y
nonzero              a fill_value:list
not_equal            x y
ones
ones_like            a
outer                a b
packbits             a
pad                  array pad_width:list
partition            a
percentile           a q weights
permute_dims         a
piecewise            x condlist:seq:list funclist:raw
place                arr mask vals
poly                 seq_of_zeros
polyadd              a1 a2
polyder              p
polydiv              u v
polyfit              x y w
polyint              p k
polymul              a1 a2
polysub              a1 a2
polyval              p x
positive             x
pow                  x1 x2
power                x1 x2
prod                 a initial:list where
promote_types        a:list b:list
ptp                  a
put                  a ind v
put_along_axis       arr indices values:list
quantile             a q weights
rad2deg              x
radians              x
ravel                a
ravel_multi_index    multi_index:seq
real                 val
reciprocal           x
remainder            x1 x2
repeat               a repeats
reshape              a
resize               a
result_type          args:seq:raw
right_shift          x1 x2
rint                 x
roll                 a shift:seq:list
rollaxis             a
roots                p
rot90                m
round                a
searchsorted         a v sorter
select               condlist:seq choicelist:seq default
setdiff1d            ar1 ar2 fill_value
setxor1d             ar1 ar2 fill_value:list
shape                a:list
sign                 x
signbit              x
sin                  x  [native]
sinc                 x  [native]
sinh                 x  [native]
size                 a:list
sort                 a
sort_complex         a
spacing              x
split                ary indices_or_sections:seq:list
sqrt                 x  [native]
square               x
squeeze              a
stack                arrays:seq
std                  a where mean
subtract             x1 x2  [native]
sum                  a initial:list where  [native]
swapaxes             a
take                 a indices
take_along_axis      arr indices
tan                  x  [native]
tanh                 x  [native]
tensordot            a b
tile                 A
trace                a offset:list
transpose            a
trapezoid            y x dx:list
tri
tril                 m
tril_indices
tril_indices_from    arr
trim_zeros           filt
triu                 m
triu_indices
triu_indices_from    arr
true_divide          x1 x2
trunc                x
union1d              ar1 ar2 fill_value:list
unique               ar fill_value:list
unique_all           x fill_value:list
unique_counts        x fill_value:list
unique_inverse       x fill_value:list
unique_values        x fill_value:list
unpackbits           a
unravel_index        indices
unstack              x
unwrap               p discont:list period:list
vander               x
var                  a where mean
vdot                 a b
vecdot               x1 x2
vecmat               x1 x2
vsplit               ary indices_or_sections:seq:list
vstack               tup:seq
where                condition x y
zeros
zeros_like           a
""")

LINALG = _table("""
cholesky          a
cond              x
cross             x1 x2
det               a
diagonal          x
eig               a
eigh              a
eigvals           a
eigvalsh          a
inv               a
lstsq             a b
matmul            x1 x2
matrix_norm       x
matrix_power      a
matrix_rank       M rtol:list tol:list
matrix_transpose  x
multi_dot         arrays:seq
norm              x
outer             x1 x2
pinv              a rtol:list rcond:list
qr                a
slogdet           a
solve             a b
svd               a
svdvals           x
tensordot         x1 x2
tensorinv         a
tensorsolve       a b
trace             x
vecdot            x1 x2
vector_norm       x
""")

FFT = _table("""
fft        a
fft2       a
fftfreq    d:list
fftn       a
fftshift   x
hfft       a
ifft       a
ifft2      a
ifftn      a
ifftshift  x
ihfft      a:list
irfft      a
irfft2     a
irfftn     a
rfft       a
rfft2      a
rfftfreq   d:list
rfftn      a
""")
