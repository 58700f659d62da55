// Renderer entry: theme, registered panels, and the React root.
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { registerBuiltinPanels } from './panels';
import './styles.css';

registerBuiltinPanels();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(<App />);
