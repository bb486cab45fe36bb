// The function names an injection template may call in istiod 1.30 (docs/injection.md §2.3, §2.4). Go's
// text/template resolves functions when it parses, so a template calling any other name makes istiod reject
// the whole injector ConfigMap at start-up.

/** Functions Go's text/template always provides. */
export const goBuiltinFunctions: readonly string[] = [
  "and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge", "index", "len", "slice", "print", "printf", "println",
  "js", "html", "urlquery", "call",
];

/** sprig's text function map (names as of sprig v3.2/3.3, which istiod 1.30 registers first). */
export const sprigFunctions: readonly string[] = [
  "abbrev", "abbrevboth", "add", "add1", "add1f", "addf", "adler32sum", "ago", "all", "any", "append", "atoi",
  "b32dec", "b32enc", "b64dec", "b64enc", "base", "bcrypt", "biggest", "buildCustomCert", "camelcase", "cat",
  "ceil", "chunk", "clean", "coalesce", "compact", "concat", "contains", "date", "dateInZone", "dateModify",
  "date_in_zone", "date_modify", "decryptAES", "deepCopy", "deepEqual", "default", "derivePassword", "dict",
  "dig", "dir", "div", "divf", "duration", "durationRound", "empty", "encryptAES", "env", "expandenv", "ext",
  "fail", "first", "float64", "floor", "fromJson", "genCA", "genCAWithKey", "genPrivateKey", "genSelfSignedCert",
  "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey", "get", "getHostByName", "has", "hasKey",
  "hasPrefix", "hasSuffix", "hello", "htmlDate", "htmlDateInZone", "htpasswd", "indent", "initial", "initials",
  "int", "int64", "isAbs", "join", "kebabcase", "keys", "kindIs", "kindOf", "last", "list", "lower", "max",
  "maxf", "merge", "mergeOverwrite", "min", "minf", "mod", "mul", "mulf", "mustAppend", "mustChunk",
  "mustCompact", "mustDateModify", "mustDeepCopy", "mustFirst", "mustFromJson", "mustHas", "mustInitial",
  "mustLast", "mustMerge", "mustMergeOverwrite", "mustPrepend", "mustRegexFind", "mustRegexFindAll",
  "mustRegexMatch", "mustRegexReplaceAll", "mustRegexReplaceAllLiteral", "mustRegexSplit", "mustRest",
  "mustReverse", "mustSlice", "mustToDate", "mustToJson", "mustToPrettyJson", "mustToRawJson", "mustUniq",
  "mustWithout", "must_date_modify", "nindent", "nospace", "now", "omit", "osBase", "osClean", "osDir", "osExt",
  "osIsAbs", "pick", "pluck", "plural", "prepend", "quote", "randAlpha", "randAlphaNum", "randAscii", "randBytes",
  "randInt", "randNumeric", "regexFind", "regexFindAll", "regexMatch", "regexQuoteMeta", "regexReplaceAll",
  "regexReplaceAllLiteral", "regexSplit", "repeat", "replace", "rest", "reverse", "round", "semver",
  "semverCompare", "seq", "set", "sha1sum", "sha256sum", "shuffle", "slice", "snakecase", "sortAlpha", "split",
  "splitList", "splitn", "squote", "sub", "subf", "substr", "swapcase", "ternary", "title", "toDate", "toDecimal",
  "toJson", "toPrettyJson", "toRawJson", "toString", "toStrings", "trim", "trimAll", "trimPrefix", "trimSuffix",
  "trimall", "trunc", "tuple", "typeIs", "typeIsLike", "typeOf", "uniq", "unixEpoch", "unset", "until",
  "untilStep", "untitle", "upper", "urlJoin", "urlParse", "uuidv4", "values", "without", "wrap", "wrapWith",
];

/** Functions istiod registers on top of sprig's (replacing sprig's `contains`, `env`, `indent`, `omit`). */
export const istiodFunctions: readonly string[] = [
  "annotation", "isset", "valueOrDefault", "excludeInboundPort", "includeInboundPorts", "applicationPorts",
  "kubevirtInterfaces", "excludeInterfaces", "toJSON", "fromJSON", "structToJSON", "protoToJSON", "toYaml",
  "indent", "directory", "contains", "toLower", "env", "omit", "strdict", "mergeMaps", "toJsonMap", "omitNil",
  "formatDuration", "appendMultusNetwork", "otelResourceAttributes",
];

/** Helm helpers people reach for that istiod does not have. */
export const helmOnlyFunctions: readonly string[] = ["include", "required", "tpl", "fromYaml", "lookup"];

export const injectionTemplateFunctions: ReadonlySet<string> = new Set([
  ...goBuiltinFunctions,
  ...sprigFunctions,
  ...istiodFunctions,
]);
