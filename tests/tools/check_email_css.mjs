import { doIUseEmail } from 'doiuse-email';
import fs from 'fs';
const html = fs.readFileSync(process.argv[2], 'utf8');
const r = doIUseEmail(html, { emailClients: ['gmail.*', 'outlook.*', 'apple-mail.*'] });
console.log(JSON.stringify(r, null, 1));
