// Shared dependencies the host only hands to plugins as they are: no type packages are installed for them.
declare module 'd3';
declare module 'prismjs';
