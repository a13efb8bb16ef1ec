import './installIntersectionObserver';

// jsdom has no layout and no canvas: Grafana's Combobox measures text and virtualises its menu by element size.
// Giving every element a size and canvas a text measure lets the real component render its options in tests.
export function provideJsdomLayout() {
  const context = { measureText: (text: string) => ({ width: text.length * 7 }), font: '' };
  Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', { configurable: true, value: () => context });
  Object.defineProperty(Element.prototype, 'getBoundingClientRect', {
    configurable: true,
    value: () => ({ width: 300, height: 300, top: 0, left: 0, bottom: 300, right: 300, x: 0, y: 0, toJSON: () => ({}) }),
  });
  for (const prop of ['offsetHeight', 'offsetWidth', 'clientHeight', 'clientWidth']) {
    Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => 300 });
  }
}
