/** Listeners of one kind of notification; a listener that throws does not stop the others. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  /** Adds a listener; returns its removal. */
  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => void this.set.delete(listener);
  }

  emit(value: T): void {
    for (const listener of [...this.set]) {
      try {
        listener(value);
      } catch (error) {
        // An application's bug, reported where it would have been without us, without breaking the rest.
        setTimeout(() => {
          throw error;
        });
      }
    }
  }

  clear(): void {
    this.set.clear();
  }
}
