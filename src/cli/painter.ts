/** One style of text on a terminal: returns the text wrapped in its escape codes, or as is without colour. */
export type Paint = (text: string) => string;

/** The styles mesh prints findings, diffs and progress with. */
export interface Painter {
  red: Paint;
  yellow: Paint;
  green: Paint;
  blue: Paint;
  bold: Paint;
  dim: Paint;
}

const unstyled: Paint = (text) => text;

/** Without colour, every style leaves the text as it is. */
export const plainPainter: Painter = { red: unstyled, yellow: unstyled, green: unstyled, blue: unstyled, bold: unstyled, dim: unstyled };

/** chalk (16 colours, as `--color always` promises) when colour is on; a run without colour never loads it. */
export async function painter(color: boolean): Promise<Painter> {
  if (!color) return plainPainter;
  const { Chalk } = await import("chalk");
  return new Chalk({ level: 1 });
}
