/** The toolchain cache, exactly as scripts/lib/common.sh `toolchain_cache_dir` finds it: outside the repository, shared by checkouts. */
import { homedir } from "node:os";
import { join } from "node:path";

export function toolchainCacheDir(): string {
  return process.env.CDKTF_TOOLCHAIN_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "cdktf-platform");
}
