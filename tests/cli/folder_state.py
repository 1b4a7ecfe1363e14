"""What a folder holds, to compare before and after a command: nothing rcbench was not
asked to write may appear, change or go."""
import hashlib
import os
import stat


def snapshot(folder):
    """Every entry under folder (links not followed): kind, mode and content hash, or
    the link's target."""
    state = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            rel = os.path.relpath(p, folder)
            if stat.S_ISREG(st.st_mode):
                with open(p, "rb") as f:
                    state[rel] = ("file", st.st_mode, hashlib.sha256(f.read()).hexdigest())
            elif stat.S_ISLNK(st.st_mode):
                state[rel] = ("link", os.readlink(p))
            else:
                state[rel] = ("other", st.st_mode)
    return state
