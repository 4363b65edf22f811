'use client';

import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as jsxRuntime from 'react/jsx-runtime';
import { getMDXComponent } from 'mdx-bundler/client/jsx';
import { mdxPalette } from './mdx-palette.tsx';
import styles from './lesson-prose.module.css';

type MdxComponent = ReturnType<typeof getMDXComponent>;
const compiled = new Map<string, MdxComponent>();

/** The component for a compiled lesson, made once per code string so it keeps its identity. */
function mdxComponent(code: string): MdxComponent {
  let component = compiled.get(code);
  if (!component) {
    component = getMDXComponent(code, { React, ReactDOM, _jsx_runtime: jsxRuntime });
    // A few lessons' worth is plenty; drop the oldest so a long session doesn't grow without bound.
    if (compiled.size >= 8) compiled.delete(compiled.keys().next().value!);
    compiled.set(code, component);
  }
  return component;
}

/**
 * Renders a lesson's compiled MDX. It is a client component given the app's own React: the
 * bundle's `require('react')` would otherwise find a second copy of React (mdx-bundler#242).
 */
export function LessonProse({ code }: { code: string }) {
  const Content = mdxComponent(code);
  return (
    <article className={styles.prose}>
      {/* mdxComponent caches per code string, so Content keeps its identity across renders. */}
      {/* eslint-disable-next-line react-hooks/static-components */}
      <Content components={mdxPalette} />
    </article>
  );
}
