/**
 * Process settings of a synth, imported first by main.ts so they hold before cdktf loads, under
 * whichever runner (synth.cjs, or tsx as check:cdktn uses).
 *
 * cdktf captures a full stack trace for every token it creates (every reference, every
 * attribute); with source maps on, which tsx turns on, formatting each one maps every frame and
 * was a quarter of a synth, and loading cdktf decoded every module's inline source map. Off, an
 * unexpected crash shows positions in the compiled JavaScript instead of the TypeScript source;
 * the errors a user is meant to read (configuration, rules) print no stack trace either way.
 */
process.setSourceMapsEnabled(false);
