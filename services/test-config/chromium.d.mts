/** Types of chromium.mjs: the Chromium the tests drive. */
export declare const CHROMIUM_SHELL: string;
export declare const CHROMIUM_BROWSER: string;
export declare function testChromium(): string;
