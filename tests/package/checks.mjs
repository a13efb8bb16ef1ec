// A list of named checks for the package tier: each passes or fails with a reason, and is printed either way.
export class CheckList {
  passed = 0;
  failed = 0;

  /** Records one check; `problems` empty (or true) is a pass, anything else a failure with those reasons. */
  check(name, problems) {
    const reasons = problems === true ? [] : problems === false ? ['failed'] : [].concat(problems);
    if (reasons.length === 0) {
      this.passed++;
      console.log(`  ✓ ${name}`);
    } else {
      this.failed++;
      console.log(`  ✗ ${name}: ${reasons.join('; ')}`);
    }
  }

  /** Runs checks whose own code may throw; a throw is one more failure, naming the error. */
  guard(name, body) {
    try {
      body();
    } catch (err) {
      this.check(name, [err instanceof Error ? err.message : String(err)]);
    }
  }

  get counts() {
    return { passed: this.passed, failed: this.failed };
  }
}
