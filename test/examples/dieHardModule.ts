/** DieHard as a model module for the CLI: npm run check -- --model test/examples/dieHardModule.ts */
import { dieHard } from './dieHard.ts';

export default dieHard();
