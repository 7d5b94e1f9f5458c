# Side-by-side baseline for the GEMM benchmark: OpenBLAS sgemm through numpy (Debian python3-numpy + libopenblas0-pthread).
# Usage: OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 bench/baselines/openblas_sgemm.py
import numpy as np, time, sys
for n in (512,1024,2048):
    a=np.random.rand(n,n).astype(np.float32); b=np.random.rand(n,n).astype(np.float32)
    a@b
    ts=[]
    for _ in range(7):
        t=time.perf_counter(); a@b; ts.append(time.perf_counter()-t)
    ts.sort(); print(f"numpy sgemm n={n}: median {ts[3]*1e3:.2f} ms = {2*n**3/ts[3]/1e9:.1f} GFLOP/s")
