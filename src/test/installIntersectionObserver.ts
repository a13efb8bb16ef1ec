// jsdom has no IntersectionObserver; Grafana's scenes and menus create one at import or render time.
// Import this module before them in a test: an observer that never fires is all they need.
class NoIntersectionObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}

if (!('IntersectionObserver' in window)) {
  Object.defineProperty(window, 'IntersectionObserver', { configurable: true, writable: true, value: NoIntersectionObserver });
}

export {};
