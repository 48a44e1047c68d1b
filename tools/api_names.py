"""The public names of portax.numpy: the array API standard plus the jax.numpy extras people use."""

ARRAY_API = """abs acos acosh add all any arange argmax argmin argsort asarray asin asinh astype atan atan2 atanh
bitwise_and bitwise_invert bitwise_left_shift bitwise_or bitwise_right_shift bitwise_xor broadcast_arrays
broadcast_shapes broadcast_to can_cast ceil clip concat conj copysign cos cosh count_nonzero cumulative_prod
cumulative_sum diff divide empty empty_like equal exp expand_dims expm1 eye finfo flip floor floor_divide from_dlpack
full full_like greater greater_equal hypot iinfo imag isdtype isfinite isin isinf isnan less less_equal linspace log
log10 log1p log2 logaddexp logical_and logical_not logical_or logical_xor matmul matrix_transpose max maximum mean
meshgrid min minimum moveaxis multiply negative nextafter nonzero not_equal ones ones_like permute_dims positive pow
prod real reciprocal remainder repeat reshape result_type roll round searchsorted sign signbit sin sinh sort sqrt
square squeeze stack std subtract sum take take_along_axis tan tanh tensordot tile tril triu trunc unique_all
unique_counts unique_inverse unique_values unstack var vecdot where zeros zeros_like""".split()

JNP_EXTRAS = """dot vdot inner outer einsum trace cumsum cumprod ravel swapaxes atleast_1d atleast_2d atleast_3d split
array_split hsplit vsplit dsplit hstack vstack dstack column_stack concatenate pad logspace geomspace identity tri diag
diagonal allclose isclose array_equal nan_to_num nansum nanmean nanmax nanmin nanstd nanvar nanprod nanargmax
nanargmin median nanmedian quantile percentile average cov corrcoef interp convolve correlate histogram bincount unique
argwhere flatnonzero put_along_axis select piecewise heaviside sinc deg2rad rad2deg degrees radians exp2 cbrt fmod
divmod gcd lcm lexsort partition argpartition kron cross polyval polyfit array zeros_like transpose expand_dims
arccos arccosh arcsin arcsinh arctan arctan2 arctanh power true_divide absolute fabs rint fix floor ceil sign
amax amin ptp any all logical_not maximum minimum fmax fmin clip around isneginf isposinf isreal iscomplex
real imag conjugate angle diff ediff1d cumsum nancumsum nancumprod argsort sort msort searchsorted digitize
take compress extract where append insert delete resize shape size ndim full ones zeros empty arange
frexp ldexp modf float_power negative positive reciprocal square sqrt logaddexp2 log exp left_shift right_shift
invert bitwise_not bitwise_count isscalar iscomplexobj isrealobj issubdtype promote_types broadcast_to
squeeze stack block tril_indices triu_indices diag_indices indices ix_ mask_indices unravel_index ravel_multi_index
trapezoid triu tril vander roots polyadd polysub polymul polyder polyint copy asarray astype matrix_transpose
intersect1d union1d setdiff1d setxor1d in1d isin flip fliplr flipud rot90 roll rollaxis moveaxis
count_nonzero signbit copysign nextafter spacing i0 sinc heaviside logical_and logical_or logical_xor
cross outer kron einsum_path tensordot matmul vecdot diagflat fill_diagonal place put trim_zeros unwrap
argmax argmin max min mean prod sum std var round nonzero zeros ones full_like ones_like empty_like
choose nanquantile nanpercentile
bartlett blackman hamming hanning kaiser diag_indices_from tril_indices_from triu_indices_from gradient matvec vecmat
mod packbits unpackbits poly polydiv sort_complex array_equiv histogram2d histogramdd histogram_bin_edges""".split()

LINALG = """cholesky cross det diagonal eigh eigvalsh inv matmul matrix_norm matrix_power matrix_rank matrix_transpose
outer pinv qr slogdet solve svd svdvals tensordot trace vecdot vector_norm norm lstsq eig eigvals cond multi_dot
tensorinv tensorsolve""".split()

FFT = """fft fftfreq fftn fftshift hfft ifft ifftn ifftshift ihfft irfft irfftn rfft rfftfreq rfftn fft2 ifft2 rfft2
irfft2""".split()
