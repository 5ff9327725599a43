import { z } from 'zod';
const S = z.array(z.object({ title: z.string().trim().min(1), n: z.union([z.string(), z.number()]).nullish() }));
const r = S.safeParse([{ title: 'a' }, { n: 1 }, { title: 3 }, { title: ' ', n: {} }], { reportInput: true } as never);
if (!r.success) for (const i of r.error.issues) console.log(JSON.stringify(i));
