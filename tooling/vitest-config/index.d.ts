import type { UserConfig } from 'vitest/config'

/** The vitest config of one package: unit and integration projects rooted at dir. */
export declare function packageConfig(dir: string): UserConfig
export declare const sharedConfig: { resolve: { conditions: string[] } }
