/**
 * Plain scalars at the edge of YAML's number syntax (bare signs and dots, underscores, prefixes in either case, an
 * overflowing exponent): go-yaml v2 reads each of them as kubectl does, and a parser that guesses gets some wrong.
 */
export const numberLikeScalars = [".", "-.", "+.", "._", "e3", ".e3", "0x_", "0o755", "0X1F", "0B101", "-_1", "1e400", "1e1_0"];
