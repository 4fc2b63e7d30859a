import { PGlite } from "@electric-sql/pglite";
let t=Date.now();
const a = await PGlite.create(); console.log("first", Date.now()-t);
t=Date.now(); const b = await PGlite.create(); console.log("second", Date.now()-t);
for (let i=0;i<200;i++) await a.exec(`create table t${i}(id int primary key, a text default 'x', b int)`);
t=Date.now(); const dump = await a.dumpDataDir("none"); console.log("dump", Date.now()-t, dump.size);
t=Date.now(); const c = await PGlite.create({loadDataDir: dump}); console.log("load", Date.now()-t, (await c.query("select count(*) from pg_class where relname like 't%'")).rows);
t=Date.now(); const dump2 = await a.dumpDataDir("gzip"); console.log("dumpgz", Date.now()-t, dump2.size);
