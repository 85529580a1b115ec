import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chapterExercises, exerciseIdsIn } from '../../../src/lib/site/exercises.ts';
import { exerciseTitles } from '../../../src/lib/live/exercise/titles.ts';

const ch = 'calc-16-hessian-vector';

describe('a chapter\'s checked exercises', () => {
  it('come in the order the MDX places them, with the titles of their checks', () => {
    const mdx = readFileSync(`src/content/chapters/${ch}/index.mdx`, 'utf8');
    expect(chapterExercises({ chapter: ch, mdx, titles: exerciseTitles() })).toEqual([
      { id: 'exercise-power', title: 'Curvature without the matrix' },
      { id: 'exercise-mlp-hvp', title: 'The HVP of a tiny MLP' },
      { id: 'exercise-cg', title: 'Conjugate gradients from HVPs' },
    ]);
  });

  it('reads the id of each <Exercise> tag, whatever its other props', () => {
    expect(exerciseIdsIn('<Exercise id="a" starter={x}>\n<Exercise\n  starter={y} id="b-2" solution={z}>\n<LiveCode id="c" />')).toEqual(['a', 'b-2']);
  });

  it('an exercise without checks, one used twice, or checks no exercise uses are errors naming the file', () => {
    const titles = { [`${ch}/a`]: 'A', [`${ch}/b`]: 'B', 'other/c': 'C' };
    expect(() => chapterExercises({ chapter: ch, mdx: '<Exercise id="a"><Exercise id="x">', titles })).toThrow(`${ch}/index.mdx: <Exercise id="x"> has no checks (expected src/content/chapters/${ch}/x.check.ts)`);
    expect(() => chapterExercises({ chapter: ch, mdx: '<Exercise id="a"><Exercise id="a">', titles })).toThrow('<Exercise id="a"> appears twice');
    expect(() => chapterExercises({ chapter: ch, mdx: '<Exercise id="a">', titles })).toThrow(`src/content/chapters/${ch}/b.check.ts: no <Exercise id="b">`);
    expect(chapterExercises({ chapter: ch, mdx: '<Exercise id="a"> <Exercise id="b">', titles })).toEqual([{ id: 'a', title: 'A' }, { id: 'b', title: 'B' }]);
  });
});
