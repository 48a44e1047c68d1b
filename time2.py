import time, sys, portax, types
portax.config.update("torch_compile_backend", "aot_eager")
src = open(sys.argv[1]).read()
m = types.ModuleType("ising_mod"); sys.modules["ising_mod"] = m
t=time.time(); exec(compile(src, "p_ising", "exec"), m.__dict__); print("total", time.time()-t)
