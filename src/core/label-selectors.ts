/** Kubernetes label selectors (meta/v1 LabelSelector): what they are and which label sets they select. */

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
}

/**
 * Whether the labels satisfy the selector, as labels.Selector.Matches after LabelSelectorAsSelector. An operator
 * other than In, NotIn, Exists and DoesNotExist makes LabelSelectorAsSelector fail: such a selector selects nothing.
 */
export function labelSelectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const key = expression.key ?? "";
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const values = expression.values ?? [];
    switch (expression.operator) {
      case "In":
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[key]!)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
