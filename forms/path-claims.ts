// Which data paths components bind to, and whether two collide: form-js's path registry rules.
// A key claims a closed path (nothing may bind below or at it again); a group's path is open (other
// groups may share it, fields go below it); a dynamic list's path is open but owned by the list:
// only components inside the list may bind below it.

interface ClaimNode {
  segment: string;
  /** null: closed (a field's value lives here). */
  children: ClaimNode[] | null;
  claimer: string;
  repeater?: string;
}

export interface ClaimKind {
  closed?: boolean;
  repeatable?: boolean;
}

export class PathClaims {
  private readonly roots: ClaimNode[] = [];

  /**
   * Claim `path` for component `claimer` (whose enclosing groups and lists are `ancestors`).
   * Returns a description of what it collides with, or null when the claim is made.
   */
  claim(path: readonly string[], claimer: string, kind: ClaimKind, ancestors: readonly string[]): string | null {
    const conflict = this.conflict(path, kind, ancestors);
    if (conflict) return conflict;
    let children = this.roots;
    let node: ClaimNode | undefined;
    for (const segment of path) {
      node = children.find((n) => n.segment === segment);
      if (!node) {
        node = { segment, children: [], claimer };
        children.push(node);
      }
      children = node.children ?? [];
    }
    if (node && kind.closed) node.children = null;
    if (node && kind.repeatable) node.repeater = claimer;
    return null;
  }

  private conflict(path: readonly string[], kind: ClaimKind, ancestors: readonly string[]): string | null {
    let children: ClaimNode[] | null = this.roots;
    let node: ClaimNode | undefined;
    for (const segment of path) {
      node = children?.find((n) => n.segment === segment);
      if (!node) return null;
      if (node.repeater !== undefined && !ancestors.includes(node.repeater)) return `the data of dynamic list ${node.repeater}`;
      if (node.children === null) return `component ${node.claimer}`;
      children = node.children;
    }
    if ((kind.closed || kind.repeatable) && node) return `component ${node.claimer}`;
    return null;
  }
}
