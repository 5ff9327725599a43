// Worker-thread entry for page extraction. Workers start without the parent's tsx
// loader, so register it here (as bin/tidings.js does) before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./page-worker.ts');
