/**
 * The event parser of kubectl's YAML reader (go-yaml v2 / libyaml's state machine) and the composer that
 * turns the first document's events into a node tree, the way `yaml.Unmarshal` reads one document.
 * Both run on explicit stacks, so the input's nesting never deepens the JavaScript call stack.
 */

import { YamlError } from "./errors.js";
import { Scanner, type Mark, type ScalarStyle, type Token, type TokenType } from "./scanner.js";

export interface ScalarNode {
  kind: "scalar";
  start: Mark;
  value: string;
  /** Resolved tag ("" when none was given). */
  tag: string;
  /** Plain and untagged, or tagged with the non-specific "!": its type comes from its text. */
  implicit: boolean;
  style: ScalarStyle;
}
export interface SequenceNode {
  kind: "sequence";
  start: Mark;
  items: YamlNode[];
}
export interface MappingNode {
  kind: "mapping";
  start: Mark;
  /** Keys and values, alternating. */
  entries: YamlNode[];
}
export interface AliasNode {
  kind: "alias";
  start: Mark;
  name: string;
  target: YamlNode;
}
export type YamlNode = ScalarNode | SequenceNode | MappingNode | AliasNode;

type EventType =
  | "stream-start"
  | "stream-end"
  | "document-start"
  | "document-end"
  | "alias"
  | "scalar"
  | "sequence-start"
  | "sequence-end"
  | "mapping-start"
  | "mapping-end";

interface Event {
  type: EventType;
  start: Mark;
  anchor?: string;
  tag?: string;
  value?: string;
  implicit?: boolean;
  style?: ScalarStyle;
}

type State =
  | "stream-start"
  | "implicit-document-start"
  | "document-start"
  | "document-content"
  | "document-end"
  | "block-node"
  | "block-node-or-indentless-sequence"
  | "flow-node"
  | "block-sequence-first-entry"
  | "block-sequence-entry"
  | "indentless-sequence-entry"
  | "block-mapping-first-key"
  | "block-mapping-key"
  | "block-mapping-value"
  | "flow-sequence-first-entry"
  | "flow-sequence-entry"
  | "flow-sequence-entry-mapping-key"
  | "flow-sequence-entry-mapping-value"
  | "flow-sequence-entry-mapping-end"
  | "flow-mapping-first-key"
  | "flow-mapping-key"
  | "flow-mapping-value"
  | "flow-mapping-empty-value"
  | "end";

const defaultTagDirectives: [string, string][] = [
  ["!", "!"],
  ["!!", "tag:yaml.org,2002:"],
];

class Parser {
  private state: State = "stream-start";
  private readonly states: State[] = [];
  private readonly marks: Mark[] = [];
  private tagDirectives: [string, string][] = [];

  constructor(readonly scanner: Scanner) {}

  private peek(): Token {
    return this.scanner.peek();
  }
  private skip(): void {
    this.scanner.skip();
  }
  private popState(): State {
    return this.states.pop()!;
  }
  private fail(problem: string, at: Mark, context = "", contextMark?: Mark): never {
    throw new YamlError(problem, at, context, contextMark);
  }

  next(): Event {
    switch (this.state) {
      case "stream-start": {
        const token = this.peek();
        if (token.type !== "stream-start") this.fail("did not find expected <stream-start>", token.start);
        this.state = "implicit-document-start";
        this.skip();
        return { type: "stream-start", start: token.start };
      }
      case "implicit-document-start":
        return this.documentStart(true);
      case "document-start":
        return this.documentStart(false);
      case "document-content": {
        const token = this.peek();
        if (["version-directive", "tag-directive", "document-start", "document-end", "stream-end"].includes(token.type)) {
          this.state = this.popState();
          return emptyScalar(token.start);
        }
        return this.node(true, false);
      }
      case "document-end": {
        const token = this.peek();
        if (token.type === "document-end") this.skip();
        this.tagDirectives = [];
        this.state = "document-start";
        return { type: "document-end", start: token.start };
      }
      case "block-node":
        return this.node(true, false);
      case "block-node-or-indentless-sequence":
        return this.node(true, true);
      case "flow-node":
        return this.node(false, false);
      case "block-sequence-first-entry":
        return this.blockSequenceEntry(true);
      case "block-sequence-entry":
        return this.blockSequenceEntry(false);
      case "indentless-sequence-entry":
        return this.indentlessSequenceEntry();
      case "block-mapping-first-key":
        return this.blockMappingKey(true);
      case "block-mapping-key":
        return this.blockMappingKey(false);
      case "block-mapping-value":
        return this.blockMappingValue();
      case "flow-sequence-first-entry":
        return this.flowSequenceEntry(true);
      case "flow-sequence-entry":
        return this.flowSequenceEntry(false);
      case "flow-sequence-entry-mapping-key":
        return this.flowSequenceEntryMappingKey();
      case "flow-sequence-entry-mapping-value":
        return this.flowSequenceEntryMappingValue();
      case "flow-sequence-entry-mapping-end":
        this.state = "flow-sequence-entry";
        return { type: "mapping-end", start: this.peek().start };
      case "flow-mapping-first-key":
        return this.flowMappingKey(true);
      case "flow-mapping-key":
        return this.flowMappingKey(false);
      case "flow-mapping-value":
        return this.flowMappingValue(false);
      case "flow-mapping-empty-value":
        return this.flowMappingValue(true);
      case "end":
        return this.fail("no more events", this.peek().start);
    }
  }

  private documentStart(implicit: boolean): Event {
    let token = this.peek();
    if (!implicit) {
      while (token.type === "document-end") {
        this.skip();
        token = this.peek();
      }
    }
    if (implicit && !["version-directive", "tag-directive", "document-start", "stream-end"].includes(token.type)) {
      this.processDirectives();
      this.states.push("document-end");
      this.state = "block-node";
      return { type: "document-start", start: token.start };
    }
    if (token.type !== "stream-end") {
      this.processDirectives();
      token = this.peek();
      if (token.type !== "document-start") this.fail("did not find expected <document start>", token.start);
      this.states.push("document-end");
      this.state = "document-content";
      this.skip();
      return { type: "document-start", start: token.start };
    }
    this.state = "end";
    this.skip();
    return { type: "stream-end", start: token.start };
  }

  private processDirectives(): void {
    let sawVersion = false;
    let token = this.peek();
    while (token.type === "version-directive" || token.type === "tag-directive") {
      if (token.type === "version-directive") {
        if (sawVersion) this.fail("found duplicate %YAML directive", token.start);
        if (token.major !== 1 || token.minor !== 1) this.fail("found incompatible YAML document", token.start);
        sawVersion = true;
      } else {
        if (this.tagDirectives.some(([handle]) => handle === token.value)) this.fail("found duplicate %TAG directive", token.start);
        this.tagDirectives.push([token.value!, token.suffix!]);
      }
      this.skip();
      token = this.peek();
    }
    for (const directive of defaultTagDirectives) {
      if (!this.tagDirectives.some(([handle]) => handle === directive[0])) this.tagDirectives.push(directive);
    }
  }

  private node(block: boolean, indentlessSequence: boolean): Event {
    let token = this.peek();
    if (token.type === "alias") {
      this.state = this.popState();
      this.skip();
      return { type: "alias", start: token.start, value: token.value! };
    }
    let start = token.start;
    let anchor: string | undefined;
    let tagToken: Token | undefined;
    if (token.type === "anchor") {
      anchor = token.value;
      this.skip();
      token = this.peek();
      if (token.type === "tag") {
        tagToken = token;
        this.skip();
        token = this.peek();
      }
    } else if (token.type === "tag") {
      tagToken = token;
      this.skip();
      token = this.peek();
      if (token.type === "anchor") {
        anchor = token.value;
        this.skip();
        token = this.peek();
      }
    }
    let tag = "";
    if (tagToken) {
      const handle = tagToken.value ?? "";
      if (handle === "") tag = tagToken.suffix ?? "";
      else {
        const directive = this.tagDirectives.find(([name]) => name === handle);
        if (!directive) this.fail("found undefined tag handle", tagToken.start, "while parsing a node", start);
        tag = directive[1] + (tagToken.suffix ?? "");
      }
    }
    if (indentlessSequence && token.type === "block-entry") {
      this.state = "indentless-sequence-entry";
      return { type: "sequence-start", start, anchor, tag };
    }
    if (token.type === "scalar") {
      if (!anchor && !tagToken) start = token.start;
      const implicit = (tag === "" && token.style === "plain") || tag === "!";
      this.state = this.popState();
      this.skip();
      return { type: "scalar", start, anchor, tag, value: token.value!, implicit, style: token.style! };
    }
    if (token.type === "flow-sequence-start") {
      this.state = "flow-sequence-first-entry";
      return { type: "sequence-start", start, anchor, tag };
    }
    if (token.type === "flow-mapping-start") {
      this.state = "flow-mapping-first-key";
      return { type: "mapping-start", start, anchor, tag };
    }
    if (block && token.type === "block-sequence-start") {
      this.state = "block-sequence-first-entry";
      return { type: "sequence-start", start, anchor, tag };
    }
    if (block && token.type === "block-mapping-start") {
      this.state = "block-mapping-first-key";
      return { type: "mapping-start", start, anchor, tag };
    }
    if (anchor !== undefined || tag !== "") {
      this.state = this.popState();
      return { type: "scalar", start, anchor, tag, value: "", implicit: tag === "", style: "plain" };
    }
    return this.fail(
      "did not find expected node content",
      token.start,
      block ? "while parsing a block node" : "while parsing a flow node",
      start,
    );
  }

  private blockSequenceEntry(first: boolean): Event {
    if (first) this.openCollection();
    const token = this.peek();
    if (token.type === "block-entry") return this.afterBlockIndicator(token, blockSequenceItemEnds, "block-sequence-entry", false);
    if (token.type === "block-end") return this.closeCollection(token, "sequence-end");
    return this.fail("did not find expected '-' indicator", token.start, "while parsing a block collection", this.marks.pop());
  }

  private indentlessSequenceEntry(): Event {
    const token = this.peek();
    if (token.type === "block-entry") return this.afterBlockIndicator(token, indentlessItemEnds, "indentless-sequence-entry", false);
    this.state = this.popState();
    return { type: "sequence-end", start: token.start };
  }

  private blockMappingKey(first: boolean): Event {
    if (first) this.openCollection();
    const token = this.peek();
    if (token.type === "key") return this.afterBlockIndicator(token, blockMappingPartEnds, "block-mapping-value", true);
    if (token.type === "block-end") return this.closeCollection(token, "mapping-end");
    return this.fail("did not find expected key", token.start, "while parsing a block mapping", this.marks.pop());
  }

  private blockMappingValue(): Event {
    const token = this.peek();
    if (token.type === "value") return this.afterBlockIndicator(token, blockMappingPartEnds, "block-mapping-key", true);
    this.state = "block-mapping-key";
    return emptyScalar(token.start);
  }

  /** The start of a block or flow collection: remember where it opened (for errors) and consume its start token. */
  private openCollection(): void {
    this.marks.push(this.peek().start);
    this.skip();
  }

  /** The token that ends a block or flow collection: back to the enclosing state. */
  private closeCollection(token: Token, type: "sequence-end" | "mapping-end"): Event {
    this.state = this.popState();
    this.marks.pop();
    this.skip();
    return { type, start: token.start };
  }

  /**
   * After a block indicator (`-`, `?` or `:`): the node that follows it, or an empty scalar at the indicator's end
   * when the next token is one of `ends`. Either way the parser goes on in `next`.
   */
  private afterBlockIndicator(indicator: Token, ends: ReadonlySet<TokenType>, next: State, mappingContext: boolean): Event {
    this.skip();
    if (!ends.has(this.peek().type)) {
      this.states.push(next);
      return this.node(true, mappingContext);
    }
    this.state = next;
    return emptyScalar(indicator.end);
  }

  private flowSequenceEntry(first: boolean): Event {
    if (first) this.openCollection();
    let token = this.peek();
    if (token.type !== "flow-sequence-end") {
      if (!first) {
        if (token.type === "flow-entry") {
          this.skip();
          token = this.peek();
        } else this.fail("did not find expected ',' or ']'", token.start, "while parsing a flow sequence", this.marks.pop());
      }
      if (token.type === "key") {
        this.state = "flow-sequence-entry-mapping-key";
        this.skip();
        return { type: "mapping-start", start: token.start, tag: "" };
      }
      if (token.type !== "flow-sequence-end") {
        this.states.push("flow-sequence-entry");
        return this.node(false, false);
      }
    }
    return this.closeCollection(token, "sequence-end");
  }

  private flowSequenceEntryMappingKey(): Event {
    const token = this.peek();
    if (token.type !== "value" && token.type !== "flow-entry" && token.type !== "flow-sequence-end") {
      this.states.push("flow-sequence-entry-mapping-value");
      return this.node(false, false);
    }
    const mark = token.end;
    this.skip();
    this.state = "flow-sequence-entry-mapping-value";
    return emptyScalar(mark);
  }

  private flowSequenceEntryMappingValue(): Event {
    let token = this.peek();
    if (token.type === "value") {
      this.skip();
      token = this.peek();
      if (token.type !== "flow-entry" && token.type !== "flow-sequence-end") {
        this.states.push("flow-sequence-entry-mapping-end");
        return this.node(false, false);
      }
    }
    this.state = "flow-sequence-entry-mapping-end";
    return emptyScalar(token.start);
  }

  private flowMappingKey(first: boolean): Event {
    if (first) this.openCollection();
    let token = this.peek();
    if (token.type !== "flow-mapping-end") {
      if (!first) {
        if (token.type === "flow-entry") {
          this.skip();
          token = this.peek();
        } else this.fail("did not find expected ',' or '}'", token.start, "while parsing a flow mapping", this.marks.pop());
      }
      if (token.type === "key") {
        this.skip();
        token = this.peek();
        if (token.type !== "value" && token.type !== "flow-entry" && token.type !== "flow-mapping-end") {
          this.states.push("flow-mapping-value");
          return this.node(false, false);
        }
        this.state = "flow-mapping-value";
        return emptyScalar(token.start);
      }
      if (token.type !== "flow-mapping-end") {
        this.states.push("flow-mapping-empty-value");
        return this.node(false, false);
      }
    }
    return this.closeCollection(token, "mapping-end");
  }

  private flowMappingValue(empty: boolean): Event {
    let token = this.peek();
    if (empty) {
      this.state = "flow-mapping-key";
      return emptyScalar(token.start);
    }
    if (token.type === "value") {
      this.skip();
      token = this.peek();
      if (token.type !== "flow-entry" && token.type !== "flow-mapping-end") {
        this.states.push("flow-mapping-key");
        return this.node(false, false);
      }
    }
    this.state = "flow-mapping-key";
    return emptyScalar(token.start);
  }
}

/** Tokens after a block indicator that leave its entry empty. */
const blockSequenceItemEnds: ReadonlySet<TokenType> = new Set(["block-entry", "block-end"]);
const indentlessItemEnds: ReadonlySet<TokenType> = new Set(["block-entry", "key", "value", "block-end"]);
const blockMappingPartEnds: ReadonlySet<TokenType> = new Set(["key", "value", "block-end"]);

function emptyScalar(mark: Mark): Event {
  return { type: "scalar", start: mark, tag: "", value: "", implicit: true, style: "plain" };
}

export interface ComposedDocument {
  /** The document's root node; undefined for a stream without any document (empty, or only comments). */
  root: YamlNode | undefined;
}

/**
 * Reads the first document of `text` into nodes, as `yaml.Unmarshal` does (anything after that document
 * is never looked at). Collections nested deeper than `maxDepth` stop the read with a depth-limit error.
 */
export function composeFirstDocument(text: string, maxDepth: number): ComposedDocument {
  const parser = new Parser(new Scanner(text));
  const expect = (type: EventType) => {
    const event = parser.next();
    if (event.type !== type) throw new YamlError(`expected ${type} event but got ${event.type}`, event.start);
    return event;
  };
  expect("stream-start");
  const first = parser.next();
  if (first.type === "stream-end") return { root: undefined };
  if (first.type !== "document-start") throw new YamlError(`expected document-start event but got ${first.type}`, first.start);

  const anchors = new Map<string, YamlNode>();
  const stack: (SequenceNode | MappingNode)[] = [];
  let root: YamlNode | undefined;
  const attach = (node: YamlNode) => {
    const parent = stack[stack.length - 1];
    if (!parent) root = node;
    else if (parent.kind === "sequence") parent.items.push(node);
    else parent.entries.push(node);
  };
  do {
    const event = parser.next();
    switch (event.type) {
      case "scalar": {
        const node: ScalarNode = {
          kind: "scalar",
          start: event.start,
          value: event.value ?? "",
          tag: event.tag ?? "",
          implicit: event.implicit ?? false,
          style: event.style ?? "plain",
        };
        if (event.anchor !== undefined) anchors.set(event.anchor, node);
        attach(node);
        break;
      }
      case "alias": {
        const target = anchors.get(event.value!);
        if (!target) throw new YamlError(`unknown anchor '${event.value}' referenced`, event.start);
        attach({ kind: "alias", start: event.start, name: event.value!, target });
        break;
      }
      case "sequence-start":
      case "mapping-start": {
        if (stack.length >= maxDepth)
          throw new YamlError(
            `document nests deeper than ${maxDepth} levels; refusing to read it`,
            event.start,
            "",
            undefined,
            "depth-limit",
          );
        const node: SequenceNode | MappingNode =
          event.type === "sequence-start"
            ? { kind: "sequence", start: event.start, items: [] }
            : { kind: "mapping", start: event.start, entries: [] };
        if (event.anchor !== undefined) anchors.set(event.anchor, node);
        attach(node);
        stack.push(node);
        break;
      }
      case "sequence-end":
      case "mapping-end":
        stack.pop();
        break;
      default:
        throw new YamlError(`unexpected ${event.type} event`, event.start);
    }
  } while (stack.length > 0);
  expect("document-end");
  return { root };
}
